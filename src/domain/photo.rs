//! Photos of a resource: which uploads are accepted and how the list of photo
//! URLs changes. A resource's photos are URLs, the first one is its cover;
//! uploaded images are served by this app at `/media/{id}`.

use super::account::{FieldError, Problem};

pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_PHOTOS: usize = 12;
/// The form field and API field photo problems are reported on.
pub const PHOTO_FIELD: &str = "photo";

/// The image type of an upload, read from its first bytes (never from what
/// the sender claims), or `None` for anything that is not a web image.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// The content type to store for an upload to a resource that has
/// `photos_now` photos.
pub fn check_upload(bytes: &[u8], photos_now: usize) -> Result<&'static str, FieldError> {
    let refuse = |problem| Err(FieldError::new(PHOTO_FIELD, problem));
    if photos_now >= MAX_PHOTOS {
        return refuse(Problem::TooManyPhotos);
    }
    if bytes.is_empty() {
        return refuse(Problem::Required);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return refuse(Problem::PhotoTooLarge);
    }
    image_type(bytes).map_or_else(|| refuse(Problem::NotAnImage), Ok)
}

pub fn media_url(id: i64) -> String {
    format!("/media/{id}")
}

/// The stored image behind a photo URL, if this app serves it.
pub fn media_id(url: &str) -> Option<i64> {
    url.strip_prefix("/media/")?.parse().ok().filter(|id| *id > 0)
}

/// The list without the photo at `index`, and the removed URL.
pub fn without(photos: &[String], index: usize) -> Option<(Vec<String>, String)> {
    let removed = photos.get(index)?.clone();
    let mut rest = photos.to_vec();
    rest.remove(index);
    Some((rest, removed))
}

/// The list with the photo at `index` moved to the front, as the cover.
pub fn with_cover(photos: &[String], index: usize) -> Option<Vec<String>> {
    let cover = photos.get(index)?.clone();
    let mut reordered = vec![cover];
    reordered.extend(photos.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, p)| p.clone()));
    Some(reordered)
}

/// The photo forms post to plain routes and come back to their page; a
/// refused upload comes back as `?foto_de={resource}&foto_error={problem}`.
pub const RESOURCE_PARAM: &str = "foto_de";
pub const PROBLEM_PARAM: &str = "foto_error";

/// `back` (a path of the page that sent the form) telling which resource's
/// photo was refused and why.
pub fn back_with_problem(back: &str, resource_id: i64, problem: Problem) -> String {
    let code = serde_json::to_value(problem).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let separator = if back.contains('?') { '&' } else { '?' };
    format!("{back}{separator}{RESOURCE_PARAM}={resource_id}&{PROBLEM_PARAM}={code}")
}

/// The problem named in a `foto_error` parameter.
pub fn problem_named(code: &str) -> Option<Problem> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

    #[test]
    fn images_are_known_by_their_first_bytes() {
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(PNG), Some("image/png"));
        assert_eq!(image_type(b"GIF89a...."), Some("image/gif"));
        assert_eq!(image_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"<svg xmlns=...>"), None);
        assert_eq!(image_type(b"<html>"), None);
        assert_eq!(image_type(b"RIFF\x10\0\0\0WAVE"), None);
    }

    #[test]
    fn uploads_are_refused_with_the_reason() {
        let problem = |bytes: &[u8], now| check_upload(bytes, now).unwrap_err().problem;
        assert_eq!(check_upload(PNG, 0), Ok("image/png"));
        assert_eq!(problem(b"", 0), Problem::Required);
        assert_eq!(problem(b"hello", 0), Problem::NotAnImage);
        assert_eq!(problem(PNG, MAX_PHOTOS), Problem::TooManyPhotos);
        let mut huge = PNG.to_vec();
        huge.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(problem(&huge, 0), Problem::PhotoTooLarge);
    }

    #[test]
    fn only_this_apps_media_urls_have_an_id() {
        assert_eq!(media_id(&media_url(42)), Some(42));
        assert_eq!(media_id("/media/0"), None);
        assert_eq!(media_id("/media/x"), None);
        assert_eq!(media_id("https://example.com/media/3"), None);
    }

    #[test]
    fn a_refusal_travels_in_the_query() {
        let url = back_with_problem("/admin/rooms", 3, Problem::NotAnImage);
        assert_eq!(url, "/admin/rooms?foto_de=3&foto_error=not_an_image");
        assert_eq!(back_with_problem("/panel?x=1", 3, Problem::PhotoTooLarge), "/panel?x=1&foto_de=3&foto_error=photo_too_large");
        assert_eq!(problem_named("not_an_image"), Some(Problem::NotAnImage));
        assert_eq!(problem_named("<script>"), None);
    }

    fn photo_lists() -> impl Strategy<Value = (Vec<String>, usize)> {
        proptest::collection::vec("[a-z]{1,4}", 1..8).prop_flat_map(|photos| {
            let len = photos.len();
            (Just(photos), 0..len)
        })
    }

    proptest! {
        #[test]
        fn removing_keeps_the_others_in_order((photos, index) in photo_lists()) {
            let (rest, removed) = without(&photos, index).unwrap();
            prop_assert_eq!(&removed, &photos[index]);
            let mut expected = photos.clone();
            expected.remove(index);
            prop_assert_eq!(rest, expected);
            prop_assert!(without(&photos, photos.len()).is_none());
        }

        #[test]
        fn a_new_cover_keeps_every_photo_once((photos, index) in photo_lists()) {
            let reordered = with_cover(&photos, index).unwrap();
            prop_assert_eq!(&reordered[0], &photos[index]);
            let mut a = reordered.clone();
            let mut b = photos.clone();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
            prop_assert!(with_cover(&photos, photos.len()).is_none());
        }

        #[test]
        fn media_urls_read_back_their_id(id in 1i64..=i64::MAX) {
            prop_assert_eq!(media_id(&media_url(id)), Some(id));
        }

        #[test]
        fn any_url_is_read_or_refused_without_panicking(url in "\\PC{0,30}|/media/[+-]?[0-9]{0,22}") {
            if let Some(id) = media_id(&url) {
                prop_assert!(id > 0 && url.starts_with("/media/"));
            }
        }

        #[test]
        fn uploads_are_accepted_only_as_images_within_the_limits(bytes in proptest::collection::vec(any::<u8>(), 0..64), photos_now in 0usize..20) {
            match check_upload(&bytes, photos_now) {
                Ok(kind) => prop_assert!(photos_now < MAX_PHOTOS && image_type(&bytes) == Some(kind)),
                Err(e) => prop_assert!(e.field == PHOTO_FIELD && (photos_now >= MAX_PHOTOS || image_type(&bytes).is_none())),
            }
        }

        #[test]
        fn problem_codes_in_the_query_read_back(code in "\\PC{0,20}") {
            if let Some(problem) = problem_named(&code) {
                let url = back_with_problem("/panel", 1, problem);
                prop_assert!(url.ends_with(&format!("foto_error={code}")), "{}", url);
            }
        }
    }
}
