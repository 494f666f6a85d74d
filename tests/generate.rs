//! The synthetic-export generator (`--features generate`): the same seed gives the same files,
//! so the bundled sample data can be made again exactly.
#![cfg(feature = "generate")]

use assert_cmd::Command;

#[test]
fn generator_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        let out = dir.path().join(sub);
        Command::cargo_bin("complaints-generate")
            .unwrap()
            .args(["--cases", "300", "--seed", "7", "--out", out.to_str().unwrap()])
            .assert()
            .success();
    }
    for f in ["complaints-export.csv", "complaints-export.xlsx", "ombudsman-casework.csv"] {
        let a = std::fs::read(dir.path().join("a").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(f)).unwrap();
        assert!(a == b, "{f} differs between two runs with the same seed");
    }
}
