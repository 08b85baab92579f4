//! RustSec advisories against `Cargo.lock`, offline, from the snapshot of the advisory
//! database kept in `security/advisory-db` (its home on GitHub cannot be reached from the
//! project's machines; `security/advisory-db/SNAPSHOT` says how old it is). The policy is
//! `deny.toml`'s, which `scripts/audit` applies with cargo-deny: a vulnerability or an unsound
//! crate fails; an unmaintained crate fails when a workspace crate depends on it directly and
//! is listed otherwise; advisories in `[advisories] ignore` are skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use rustsec::WarningKind;
use rustsec::advisory::{Id, Informational};
use rustsec::report::{Report, Settings};
use rustsec::{Database, Lockfile};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ignored() -> Vec<Id> {
    let deny: toml::Table = std::fs::read_to_string(root().join("deny.toml")).unwrap().parse().unwrap();
    deny["advisories"]
        .get("ignore")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .map(|v| {
            let id = v.as_str().or_else(|| v.get("id").and_then(|i| i.as_str())).expect("an advisory id");
            id.parse().expect("a RustSec id")
        })
        .collect()
}

#[test]
fn no_dependency_has_a_known_vulnerability() {
    let snapshot = std::fs::read_to_string(root().join("security/advisory-db/SNAPSHOT")).unwrap();
    let db = Database::open(&root().join("security/advisory-db")).unwrap();
    let advisories = db.iter().count();
    assert!(advisories > 500, "the snapshot holds the advisories ({advisories} found)");
    let lockfile = Lockfile::load(root().join("Cargo.lock")).unwrap();
    let settings = Settings {
        ignore: ignored(),
        informational_warnings: vec![
            Informational::Unmaintained,
            Informational::Unsound,
            Informational::Notice,
        ],
        ..Settings::default()
    };
    let report = Report::generate(&db, &lockfile, &settings);

    let direct: BTreeSet<String> = lockfile
        .packages
        .iter()
        .filter(|p| p.source.is_none())
        .flat_map(|p| p.dependencies.iter().map(|d| d.name.to_string()))
        .collect();
    let mut failures = Vec::new();
    for v in &report.vulnerabilities.list {
        failures.push(format!(
            "{} {}: {} ({})",
            v.package.name, v.package.version, v.advisory.id, v.advisory.title
        ));
    }
    for (kind, warnings) in &report.warnings {
        for w in warnings {
            let id = w.advisory.as_ref().map_or_else(String::new, |a| format!("{} ({})", a.id, a.title));
            let line = format!("{} {} {}: {id}", kind.as_str(), w.package.name, w.package.version);
            let fails = match kind {
                WarningKind::Unsound => true,
                WarningKind::Unmaintained => direct.contains(w.package.name.as_str()),
                _ => false,
            };
            if fails {
                failures.push(line);
            } else {
                println!("listed, not failing: {line}");
            }
        }
    }
    println!(
        "{} packages checked against {} advisories; {}",
        lockfile.packages.len(),
        advisories,
        snapshot.lines().find(|l| l.starts_with("date:")).unwrap_or("date: unknown")
    );
    assert!(failures.is_empty(), "advisories for dependencies:\n{}", failures.join("\n"));
}
