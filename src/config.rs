//! Typed settings: defaults (the regulation's values) ← TOML file (`--config`) ← environment
//! (`AFTERCARE_<KEY>`, e.g. `AFTERCARE_CADENCE_ARCHIVE_DAYS`). Each value remembers where it
//! came from, for the settings page. The time zone is stored in the database when it is
//! created; the database's value wins over the configuration (see `services::setup`).

use crate::domain::cadence::Cadence;
use anyhow::bail;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The shop's time zone (IANA name). Fixed in the database at creation.
    pub timezone: String,
    /// The language of pages before login and of command-line output: `zh-CN` or `en`.
    pub language: String,
    /// Mark cookies `Secure` and use the `__Host-` prefix (set when served over HTTPS).
    pub secure_cookies: bool,
    /// How long a login lasts without activity, in hours.
    pub session_hours: u32,
    /// Failed logins per account within `login_window_minutes` before it is locked for that long.
    pub login_max_failures_per_account: u32,
    /// Failed logins from one address within the window before it is refused.
    pub login_max_failures_per_address: u32,
    pub login_window_minutes: u32,
    /// RULES.md's offsets, in days.
    pub cadence: Cadence,
    /// Scheduled jobs: cron strings (sec min hour day month weekday), empty = off.
    pub jobs: Jobs,
    /// Phone masking, export limits and data retention (R11).
    pub privacy: Privacy,
    /// X6: satisfaction asked on reached first and second follow-ups.
    pub satisfaction: Satisfaction,
    /// X8: service advisors on visits and in the summaries.
    pub advisors: Advisors,
}

/// X6: whether reached follow-ups ask the customer's satisfaction, and which aspects.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Satisfaction {
    pub enabled: bool,
    /// The aspects asked besides the overall score, each 1–5 (keys of `ASPECTS`).
    pub aspects: Vec<String>,
}

impl Default for Satisfaction {
    fn default() -> Self {
        Satisfaction {
            enabled: true,
            aspects: crate::domain::satisfaction::ASPECTS
                .iter()
                .map(|a| a.to_string())
                .collect(),
        }
    }
}

/// X8: whether visits name their service advisor and the summaries break figures down by it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Advisors {
    pub enabled: bool,
}

impl Default for Advisors {
    fn default() -> Self {
        Advisors { enabled: true }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Privacy {
    /// Years after a customer's last visit before the retention job anonymises them; 0 = never.
    pub retention_years: u32,
    /// The longest date range an auditor may export at once, in days; 0 = no limit.
    /// Supervisors and the command line are not limited.
    pub export_max_days: u32,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            retention_years: 5,
            export_max_days: 366,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Jobs {
    /// A consistent copy of the SQLite database into `backup_dir`.
    pub backup: String,
    pub backup_dir: String,
    /// How many copies to keep.
    pub backup_keep: u32,
    /// Removes expired sessions and old login attempts.
    pub purge_sessions: String,
    /// The supervisors' morning digest of what became overdue since yesterday.
    pub overdue_digest: String,
    /// Anonymises customers past `privacy.retention_years`.
    pub retention: String,
    /// R10: drafts last month's summary (and in January last year's) on the 1st.
    pub summary_drafts: String,
    /// X7: opens a win-back task for each customer found lost (empty = off).
    pub win_back: String,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs {
            backup: "0 0 2 * * *".into(),
            backup_dir: "backups".into(),
            backup_keep: 7,
            purge_sessions: "0 15 * * * *".into(),
            overdue_digest: "0 0 6 * * *".into(),
            retention: "0 30 3 * * *".into(),
            summary_drafts: "0 30 0 1 * *".into(),
            win_back: "0 45 3 * * *".into(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timezone: "Asia/Shanghai".into(),
            language: "zh-CN".into(),
            secure_cookies: false,
            session_hours: 12,
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 20,
            login_window_minutes: 15,
            cadence: Cadence::default(),
            jobs: Jobs::default(),
            privacy: Privacy::default(),
            satisfaction: Satisfaction::default(),
            advisors: Advisors::default(),
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub key: String,
    pub value: String,
    pub origin: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub sources: Vec<Source>,
}

impl Config {
    /// Loads the settings from the defaults, the file and the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        Config::load_from(file, &env)
    }

    pub fn load_from(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
    ) -> anyhow::Result<Config> {
        let defaults = toml::Value::try_from(Settings::default())?;
        let mut merged = defaults.clone();
        let mut origins: BTreeMap<String, String> = BTreeMap::new();
        // Messages before the language is known are in the environment's, else the default.
        let early = env
            .get("AFTERCARE_LANGUAGE")
            .and_then(|l| crate::i18n::supported(Some(l)))
            .unwrap_or(crate::i18n::DEFAULT_LANG);
        if let Some(path) = file {
            let table = read_file(path, early)?;
            overlay(
                &mut merged,
                &table,
                "",
                &mut origins,
                &path.display().to_string(),
                early,
            )?;
        }
        overlay_env(&defaults, env, &mut merged, &mut origins, early)?;
        let settings: Settings = merged.clone().try_into().map_err(|e| {
            anyhow::anyhow!(say(early, "config-invalid", &[("reason", e.to_string())]))
        })?;
        let lang = crate::i18n::supported(Some(&settings.language)).unwrap_or(early);
        if let Err((key, args)) = settings.check() {
            bail!(say(lang, key, &args));
        }
        Ok(Config {
            settings,
            sources: sources(&merged, &origins),
        })
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.settings.timezone.parse().expect("checked at load")
    }
}

/// A configuration message in `lang`.
fn say(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    crate::i18n::I18N.t_args(lang, key, args)
}

/// The TOML file, parsed; a bad one is named with the line of its first error.
fn read_file(path: &Path, lang: &str) -> anyhow::Result<toml::Value> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|_| {
        anyhow::anyhow!(say(
            lang,
            "config-file-unreadable",
            &[("path", shown.clone())]
        ))
    })?;
    toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let line = text[..at.min(text.len())].lines().count().max(1);
        anyhow::anyhow!(say(
            lang,
            "config-file-invalid",
            &[("path", shown.clone()), ("line", line.to_string())]
        ))
    })
}

/// Every `AFTERCARE_<KEY>` of the environment over `merged`, typed as its default is.
fn overlay_env(
    defaults: &toml::Value,
    env: &BTreeMap<String, String>,
    merged: &mut toml::Value,
    origins: &mut BTreeMap<String, String>,
    lang: &str,
) -> anyhow::Result<()> {
    let mut leaves = Vec::new();
    collect_leaves(defaults, "", &mut leaves);
    for (key, default) in &leaves {
        let var = format!("AFTERCARE_{}", key.replace('.', "_").to_uppercase());
        let Some(raw) = env.get(&var) else { continue };
        let wrong = |k: &str| {
            anyhow::anyhow!(say(
                lang,
                k,
                &[("var", var.clone()), ("value", raw.clone())]
            ))
        };
        let value = match default {
            toml::Value::Integer(_) => toml::Value::Integer(
                raw.trim()
                    .parse()
                    .map_err(|_| wrong("config-env-not-integer"))?,
            ),
            toml::Value::Boolean(_) => toml::Value::Boolean(
                raw.trim()
                    .parse()
                    .map_err(|_| wrong("config-env-not-bool"))?,
            ),
            // A list (`satisfaction.aspects`) as comma-separated words.
            toml::Value::Array(_) => toml::Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| toml::Value::String(s.to_string()))
                    .collect(),
            ),
            _ => toml::Value::String(raw.clone()),
        };
        set_path(merged, key, value);
        origins.insert(key.clone(), format!("env {var}"));
    }
    Ok(())
}

/// Each setting's value and where it came from, for the settings page.
fn sources(merged: &toml::Value, origins: &BTreeMap<String, String>) -> Vec<Source> {
    let mut leaves = Vec::new();
    collect_leaves(merged, "", &mut leaves);
    leaves
        .into_iter()
        .map(|(key, v)| Source {
            origin: origins
                .get(&key)
                .cloned()
                .unwrap_or_else(|| "default".into()),
            value: match v {
                toml::Value::String(s) => s,
                other => other.to_string(),
            },
            key,
        })
        .collect()
}

/// A problem of the settings: its message key and arguments.
type Problem = (&'static str, Vec<(&'static str, String)>);

impl Settings {
    /// What no type can say: the cadence's order, the time zone, the cron schedules, the
    /// satisfaction aspects and the language. The first problem, as a message key and its
    /// arguments.
    fn check(&self) -> Result<(), Problem> {
        if let Err(reason) = self.cadence.check() {
            return Err(("config-cadence", vec![("reason", reason)]));
        }
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(("config-timezone", vec![("value", self.timezone.clone())]));
        }
        let jobs = &self.jobs;
        for (key, cron) in [
            ("jobs.backup", &jobs.backup),
            ("jobs.purge_sessions", &jobs.purge_sessions),
            ("jobs.overdue_digest", &jobs.overdue_digest),
            ("jobs.retention", &jobs.retention),
            ("jobs.summary_drafts", &jobs.summary_drafts),
            ("jobs.win_back", &jobs.win_back),
        ] {
            if !cron.trim().is_empty() && cron.parse::<job_scheduler_ng::Schedule>().is_err() {
                return Err((
                    "config-cron",
                    vec![("key", key.into()), ("value", cron.clone())],
                ));
            }
        }
        let aspects = crate::domain::satisfaction::ASPECTS;
        if let Some(a) = self
            .satisfaction
            .aspects
            .iter()
            .find(|a| !aspects.contains(&a.as_str()))
        {
            return Err((
                "config-aspect",
                vec![("value", a.clone()), ("allowed", aspects.join(", "))],
            ));
        }
        if !crate::i18n::LANGS.contains(&self.language.as_str()) {
            return Err((
                "config-language",
                vec![
                    ("value", self.language.clone()),
                    ("allowed", crate::i18n::LANGS.join(", ")),
                ],
            ));
        }
        Ok(())
    }
}

fn collect_leaves(v: &toml::Value, prefix: &str, out: &mut Vec<(String, toml::Value)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                collect_leaves(v, &key, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// Lays the file's values over the defaults; an unknown key is an error that names it.
fn overlay(
    base: &mut toml::Value,
    over: &toml::Value,
    prefix: &str,
    origins: &mut BTreeMap<String, String>,
    origin: &str,
    lang: &str,
) -> anyhow::Result<()> {
    let (toml::Value::Table(b), toml::Value::Table(o)) = (base, over) else {
        bail!(say(
            lang,
            "config-not-table",
            &[("key", prefix.to_string())]
        ));
    };
    for (k, v) in o {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match b.get_mut(k) {
            None => bail!(say(lang, "config-unknown-setting", &[("key", key)])),
            Some(slot @ toml::Value::Table(_)) => overlay(slot, v, &key, origins, origin, lang)?,
            Some(slot) => {
                *slot = v.clone();
                origins.insert(key, format!("file {origin}"));
            }
        }
    }
    Ok(())
}

fn set_path(v: &mut toml::Value, key: &str, value: toml::Value) {
    let mut cur = v;
    let parts: Vec<&str> = key.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = cur.get_mut(*p).expect("path exists in defaults");
    }
    if let toml::Value::Table(t) = cur {
        t.insert(parts[parts.len() - 1].to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_file_override_defaults_and_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "[cadence]\narchive_days = 3\n").unwrap();
        let env = BTreeMap::from([(
            "AFTERCARE_CADENCE_FIRST_FOLLOW_UP_TO_DAYS".to_string(),
            "9".to_string(),
        )]);
        let c = Config::load_from(Some(&file), &env).unwrap();
        assert_eq!(c.settings.cadence.archive_days, 3);
        assert_eq!(c.settings.cadence.first_follow_up_to_days, 9);
        let src = |k: &str| {
            c.sources
                .iter()
                .find(|s| s.key == k)
                .unwrap()
                .origin
                .clone()
        };
        assert!(src("cadence.archive_days").starts_with("file"));
        assert!(src("cadence.first_follow_up_to_days").starts_with("env"));
        assert_eq!(src("timezone"), "default");
    }

    #[test]
    fn unknown_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "[cadence]\narchive_dayz = 3\n").unwrap();
        let err = Config::load_from(Some(&file), &BTreeMap::new()).unwrap_err();
        assert!(format!("{err:#}").contains("cadence.archive_dayz"));
    }
}
