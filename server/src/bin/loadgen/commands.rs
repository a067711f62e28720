//! `loadgen commands`: files amendments one after the other through the `file_amendment` server function (the
//! real command path: transaction, head state, domain, log, tables, commit) and reports how long each call took,
//! by blocks of calls, so that a cost growing with the log shows (the first block against the last).

use std::{path::PathBuf, time::Instant};

use anyhow::{Context, bail};

/// `loadgen commands --url … --token-file … --count 5000`.
#[derive(Clone, Debug, clap::Args)]
pub struct CommandsArgs {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// The motion to file on (it must accept amendments).
    #[arg(long, default_value_t = 1)]
    motion: i32,
    /// A file whose first line is a delegate's bearer token (`hemicycle issue-tokens`).
    #[arg(long)]
    token_file: PathBuf,
    /// Amendments to file.
    #[arg(long, default_value_t = 5000)]
    count: usize,
    /// Calls per block in the report.
    #[arg(long, default_value_t = 500)]
    block: usize,
}

fn median(sorted: &[f64]) -> f64 {
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// Files `count` amendments (insertions at the top of the motion's first section) and prints one line per
/// block: its median and p99 in milliseconds; then the ratio of the last block's median to the first's.
///
/// # Errors
/// When the server refuses a call or cannot be reached.
pub async fn run(args: CommandsArgs) -> anyhow::Result<()> {
    let token = std::fs::read_to_string(&args.token_file)
        .context("reading the token file")?
        .lines()
        .next()
        .map(str::to_owned)
        .context("the token file is empty")?;
    let http = reqwest::Client::new();
    let get_motion = http
        .post(format!("{}/api/fn/get_motion", args.url))
        .bearer_auth(&token)
        .form(&[("id", args.motion.to_string())])
        .send()
        .await
        .context("reading the motion")?;
    let motion: serde_json::Value = get_motion.json().await.context("the motion's JSON")?;
    let section = motion["sections"][0]["id"]
        .as_i64()
        .context("the motion has a section")?;
    let mut durations = Vec::with_capacity(args.count);
    for n in 0..args.count {
        let started = Instant::now();
        let response = http
            .post(format!("{}/api/fn/file_amendment", args.url))
            .bearer_auth(&token)
            .form(&[
                ("motion_id", args.motion.to_string()),
                ("kind", "insert".to_owned()),
                ("section_id", section.to_string()),
                ("text", format!("Proposition d’essai numéro {n}.")),
                ("rationale", "Mesure du coût d’une commande.".to_owned()),
            ])
            .send()
            .await
            .context("filing an amendment")?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            bail!("call {n} refused: {status} {body}");
        }
        durations.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let mut medians = Vec::new();
    for (index, block) in durations.chunks(args.block.max(1)).enumerate() {
        let mut sorted = block.to_vec();
        sorted.sort_by(f64::total_cmp);
        let p99 = sorted[(sorted.len() * 99 / 100).min(sorted.len() - 1)];
        let first = index * args.block + 1;
        println!(
            "calls {first:>5}–{:>5}: median {:.2} ms, p99 {p99:.2} ms",
            first + block.len() - 1,
            median(&sorted)
        );
        medians.push(median(&sorted));
    }
    if let (Some(first), Some(last)) = (medians.first(), medians.last()) {
        println!(
            "commands: {} filed; median of the last block / first block = {:.2}",
            args.count,
            last / first
        );
    }
    Ok(())
}
