//! The lifecycle of one remote resource a view depends on.

use crate::api::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum FetchState<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

impl<T> FetchState<T> {
    pub fn from_result(result: Result<T, ApiError>) -> Self {
        match result {
            Ok(value) => FetchState::Ready(value),
            Err(error) => FetchState::Failed(error),
        }
    }

    pub fn ready(&self) -> Option<&T> {
        match self {
            FetchState::Ready(value) => Some(value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_becomes_ready_or_failed() {
        assert_eq!(
            FetchState::from_result(Ok::<_, ApiError>(3)).ready(),
            Some(&3)
        );
        let failed = FetchState::<u8>::from_result(Err(ApiError::NotFound));
        assert_eq!(failed, FetchState::Failed(ApiError::NotFound));
        assert_eq!(failed.ready(), None);
    }
}
