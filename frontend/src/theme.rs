//! Tenant branding made safe to apply: only a strict `#rrggbb` colour ever reaches CSS,
//! the text colour on it is chosen for contrast, and only image-like logo URLs are used.
//!
//! Pure; the app bar applies the result as CSS custom properties through the CSSOM
//! (`style.setProperty`), which a `style-src 'self'` CSP allows.

/// The colour when a tenant has none (or an invalid one).
pub const DEFAULT_BRAND: &str = "#1f3a5f";

/// `Some(normalised)` for a `#rrggbb` colour, `None` for anything else.
pub fn brand_color(value: &str) -> Option<String> {
    let hex = value.strip_prefix('#')?;
    (hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("#{}", hex.to_ascii_lowercase()))
}

/// Black or white text, whichever reads better on `color` (WCAG relative luminance).
pub fn contrast_text(color: &str) -> &'static str {
    let Some(hex) = brand_color(color) else {
        return "#ffffff";
    };
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast with white vs with near-black (#111111, luminance ~0.0056).
    let with_white = 1.05 / (luminance + 0.05);
    let with_dark = (luminance + 0.05) / 0.0556;
    if with_white >= with_dark {
        "#ffffff"
    } else {
        "#111111"
    }
}

/// The logo URL when it is a same-origin path, an https URL or an image `data:` URI.
/// (An SVG shown through `<img>` cannot run scripts, so `data:image/svg+xml` is fine.)
pub fn logo_src(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let allowed = (url.starts_with('/') && !url.starts_with("//"))
        || lower.starts_with("https://")
        || lower.starts_with("data:image/");
    allowed.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_strict_hex_colours_are_accepted() {
        assert_eq!(brand_color("#1A2b3C").as_deref(), Some("#1a2b3c"));
        assert_eq!(brand_color("#fff"), None);
        assert_eq!(brand_color("red"), None);
        assert_eq!(brand_color("#123456; background:url(x)"), None);
        assert_eq!(brand_color("#12345g"), None);
    }

    #[test]
    fn text_on_the_brand_colour_stays_readable() {
        assert_eq!(contrast_text("#1f3a5f"), "#ffffff");
        assert_eq!(contrast_text("#ffd700"), "#111111");
        assert_eq!(contrast_text("not a colour"), "#ffffff");
    }

    #[test]
    fn logos_are_limited_to_image_sources() {
        assert_eq!(logo_src("/static/acme.png"), Some("/static/acme.png"));
        assert_eq!(
            logo_src("https://cdn.example/logo.png"),
            Some("https://cdn.example/logo.png")
        );
        assert_eq!(
            logo_src("data:image/png;base64,AAAA"),
            Some("data:image/png;base64,AAAA")
        );
        assert_eq!(logo_src("javascript:alert(1)"), None);
        assert_eq!(logo_src("//evil.example/x.png"), None);
        assert_eq!(logo_src("data:text/html,<script>x</script>"), None);
        assert_eq!(logo_src(""), None);
    }
}
