//! The streaming writer of `times` prints byte for byte what the whole-output renderer does, for
//! every example and test programme and every format.

use roundtable::times::{Format, render, write};

#[test]
fn streaming_equals_rendering() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = ["sessions", "tests/data/programmes"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(root.join(d))
                .expect("dir")
                .map(|e| e.expect("entry").path())
        })
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        let loaded = roundtable::programme::Programme::load(&file).expect("loads");
        let p = &loaded.programme;
        let schedule = roundtable::occurrence::expand(p).expect("expands");
        for format in [Format::Json, Format::Csv, Format::Text] {
            let rows = roundtable::view::participant_rows(p, &schedule, None);
            let whole = render(p, &rows, format);
            let mut streamed = Vec::new();
            write(
                &mut streamed,
                p,
                roundtable::view::participant_rows_iter(p, &schedule, None),
                format,
            )
            .expect("write");
            assert_eq!(
                String::from_utf8(streamed).expect("utf8"),
                whole,
                "{} {format:?}",
                file.display()
            );
        }
        let utc: roundtable::zone::ZoneSpec = "UTC".parse().expect("zone");
        let rows = roundtable::view::zone_rows(p, &schedule, &utc);
        let mut streamed = Vec::new();
        write(&mut streamed, p, rows.clone().into_iter(), Format::Json).expect("write");
        assert_eq!(
            String::from_utf8(streamed).expect("utf8"),
            render(p, &rows, Format::Json)
        );
    }
}
