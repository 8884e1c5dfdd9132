//! The `strategic/NNN` corpus: `left.yaml` merged with `right.yaml` must
//! equal `expected.yaml` as the typed model encodes it (upstream compares
//! the typed configs).

use talgen_testutil::Tally;

use crate::common::read;

#[test]
fn corpus_cases_match_expected() {
    let Some(dir) = talgen_testutil::upstream_dir() else {
        return;
    };
    let dir = dir.join("strategic");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut tally = Tally::new();
    for case in cases.iter().filter(|c| c.is_dir()) {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let patch = talgen_patch::parse_patch(read(&case.join("right.yaml")).as_bytes()).unwrap();
        let got = talgen_patch::apply(read(&case.join("left.yaml")).as_bytes(), &[patch]).unwrap();
        let got = String::from_utf8(got).unwrap();
        // Upstream compares the typed configs: the expected file goes through
        // the typed model (load, encode) and must equal our bytes.
        let want = talgen_config::load(&read(&case.join("expected.yaml")))
            .unwrap()
            .encode()
            .unwrap();
        tally.compare(&name, &want, &got);
    }
    assert_eq!(cases.len(), 6, "the strategic corpus has six cases");
    tally.finish("strategic corpus");
}
