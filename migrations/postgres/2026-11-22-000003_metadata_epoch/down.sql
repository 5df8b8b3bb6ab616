DROP TABLE metadata_epoch;
