//! Plausible, entirely invented customer names built from small syllable lists.

use rand::Rng;

const ONSETS: &[&str] = &[
    "Al", "Bel", "Cor", "Dra", "El", "Fen", "Gal", "Hal", "Ir", "Jor", "Kel", "Lum", "Mar", "Nor",
    "Or", "Pel", "Quin", "Ros", "Sol", "Tor", "Ul", "Ver", "Wex", "Yar", "Zan",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ar", "en", "is", "on", "ea"];
const CODAS: &[&str] = &[
    "dex", "ford", "gate", "lia", "more", "nova", "ria", "ton", "vex", "wick", "mont", "stead",
];
const TRADES: &[&str] = &[
    "Systems",
    "Holdings",
    "Labs",
    "Logistics",
    "Partners",
    "Foods",
    "Health",
    "Energy",
    "Retail",
    "Analytics",
    "Works",
    "Capital",
    "Media",
    "Robotics",
];
const FORMS: &[&str] = &["Ltd", "Inc", "GmbH", "LLC", "S.A.", "plc", "Co", "AG"];
const GIVEN_ENDINGS: &[&str] = &["a", "o", "an", "el", "ia", "in", "us", "ette", "ric", "ina"];

fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

fn word<R: Rng>(rng: &mut R) -> String {
    format!(
        "{}{}{}",
        pick(rng, ONSETS),
        pick(rng, VOWELS),
        pick(rng, CODAS)
    )
}

/// A company name such as "Corenford Logistics GmbH".
pub fn company<R: Rng>(rng: &mut R) -> String {
    format!("{} {} {}", word(rng), pick(rng, TRADES), pick(rng, FORMS))
}

/// A person's name such as "Marel Ulisgate".
pub fn person<R: Rng>(rng: &mut R) -> String {
    let given = format!("{}{}", pick(rng, ONSETS), pick(rng, GIVEN_ENDINGS));
    format!("{given} {}", word(rng))
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn names_are_deterministic_for_a_seed_and_look_like_names() {
        let mut a = StdRng::seed_from_u64(7);
        let mut b = StdRng::seed_from_u64(7);
        let (ca, cb) = (company(&mut a), company(&mut b));
        assert_eq!(ca, cb);
        assert_eq!(ca.split(' ').count(), 3);
        let p = person(&mut a);
        assert_eq!(p.split(' ').count(), 2);
        assert!(p.chars().next().is_some_and(char::is_uppercase));
    }
}
