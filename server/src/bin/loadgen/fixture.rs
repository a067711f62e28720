//! `loadgen fixture`: makes a motion look like a congress's at its busiest, through the real server functions
//! (every amendment a command in the log, as people would make them): `count` amendments spread over the
//! paragraphs by several delegates (replacements, insertions, deletions), co-signed, a share of them declared
//! admissible or inadmissible, some adopted (deletions among them, so that others fall) and some rejected. The
//! page benchmarks then read a motion with a thousand amendments instead of the demo's handful.

use std::path::PathBuf;

use anyhow::{Context, bail};
use serde_json::Value;

/// `loadgen fixture --url … --delegate-tokens … --organizer-token … --count 1000`.
#[derive(Clone, Debug, clap::Args)]
pub struct FixtureArgs {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// The motion (it must accept amendments); ignored with `--new-motion`.
    #[arg(long, default_value_t = 1)]
    motion: i32,
    /// Create a motion of this many paragraphs (ten sections) in `--edition` first, open it to amendments and
    /// fill that one: its id is printed last (`motion=N`).
    #[arg(long)]
    new_motion: Option<usize>,
    /// The edition of the new motion.
    #[arg(long, default_value_t = 1)]
    edition: i32,
    /// Delegates' bearer tokens, one per line (`hemicycle issue-tokens --create-members`): authors and
    /// co-signatories in turn.
    #[arg(long)]
    delegate_tokens: PathBuf,
    /// A file whose first line is an organizer's bearer token (`hemicycle issue-tokens --role organizer`).
    #[arg(long)]
    organizer_token: PathBuf,
    /// Amendments to file.
    #[arg(long, default_value_t = 1000)]
    count: usize,
}

/// What one call did.
enum Outcome {
    Done(Value),
    /// Refused by the rules (422): an adoption made another amendment conflict or fall, as in a real session.
    Refused,
}

struct Client {
    http: reqwest::Client,
    url: String,
    motion: i32,
}

impl Client {
    async fn call(
        &self,
        token: &str,
        function: &str,
        form: &[(&str, String)],
    ) -> anyhow::Result<Outcome> {
        let mut fields = vec![("motion_id", self.motion.to_string())];
        fields.extend(form.iter().map(|(k, v)| (*k, v.clone())));
        let response = self
            .http
            .post(format!("{}/api/fn/{function}", self.url))
            .bearer_auth(token)
            .form(&fields)
            .send()
            .await
            .with_context(|| format!("calling {function}"))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        match status.as_u16() {
            200..=299 => Ok(Outcome::Done(
                serde_json::from_str(&body).unwrap_or(Value::Null),
            )),
            422 => Ok(Outcome::Refused),
            _ => bail!("{function} answered {status}: {body}"),
        }
    }

    /// The motion's live paragraphs: (section, paragraph, current version).
    async fn paragraphs(&self, token: &str) -> anyhow::Result<Vec<(i64, i64, i64)>> {
        let response = self
            .http
            .post(format!("{}/api/fn/get_motion", self.url))
            .bearer_auth(token)
            .form(&[("id", self.motion.to_string())])
            .send()
            .await
            .context("reading the motion")?;
        let motion: Value = response.json().await.context("the motion's JSON")?;
        let mut out = Vec::new();
        for section in motion["sections"].as_array().into_iter().flatten() {
            for p in section["paragraphs"].as_array().into_iter().flatten() {
                if let (Some(s), Some(id), Some(v)) = (
                    section["id"].as_i64(),
                    p["id"].as_i64(),
                    p["version"].as_i64(),
                ) {
                    out.push((s, id, v));
                }
            }
        }
        Ok(out)
    }
}

/// Whether the `n`th filing (of `kind`) is declared admissible, then perhaps adopted or rejected.
fn candidate(n: usize, kind: &str) -> bool {
    kind == "delete" || n.is_multiple_of(6) || n % 6 == 2
}

fn lines(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let tokens: Vec<String> = std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if tokens.is_empty() {
        bail!("{} holds no token", path.display());
    }
    Ok(tokens)
}

/// Files, co-signs and decides on `count` amendments; prints what it made.
///
/// # Errors
/// When the server cannot be reached or answers anything but a success or a refusal.
pub async fn run(args: FixtureArgs) -> anyhow::Result<()> {
    let delegates = lines(&args.delegate_tokens)?;
    if delegates.len() < 2 {
        bail!("at least two delegates: each amendment needs a co-signatory");
    }
    let organizer = lines(&args.organizer_token)?.remove(0);
    let mut client = Client {
        http: reqwest::Client::new(),
        url: args.url.clone(),
        motion: args.motion,
    };
    if let Some(paragraphs) = args.new_motion {
        client.motion = new_motion(&client, &organizer, args.edition, paragraphs).await?;
    }
    let paragraphs = client.paragraphs(&organizer).await?;
    if paragraphs.is_empty() {
        bail!("motion {} has no paragraph", args.motion);
    }
    // (amendment id, kind) of every filing, in order.
    let mut filed: Vec<(i64, &str)> = Vec::with_capacity(args.count);
    for n in 0..args.count {
        let author = &delegates[n % delegates.len()];
        let (section, paragraph, version) = paragraphs[(n * 7) % paragraphs.len()];
        let (kind, form): (&str, Vec<(&str, String)>) = match n % 10 {
            0 => (
                "insert",
                vec![
                    ("kind", "insert".into()),
                    ("section_id", section.to_string()),
                    ("after_paragraph_id", paragraph.to_string()),
                    (
                        "text",
                        format!(
                            "Un paragraphe nouveau, le {n}ᵉ proposé : les collectivités s’y engagent."
                        ),
                    ),
                ],
            ),
            1 if n % 100 == 1 => (
                "delete",
                vec![
                    ("kind", "delete".into()),
                    ("paragraph_id", paragraph.to_string()),
                    ("base_version", version.to_string()),
                ],
            ),
            _ => (
                "replace",
                vec![
                    ("kind", "replace".into()),
                    ("paragraph_id", paragraph.to_string()),
                    ("base_version", version.to_string()),
                    (
                        "text",
                        format!(
                            "Les communes et leurs groupements, avec l’appui de l’État, garantissent un accès au \
                         numérique pour toutes et tous (rédaction n° {n}), et en rendent compte chaque année."
                        ),
                    ),
                ],
            ),
        };
        let mut form = form;
        form.push((
            "rationale",
            format!("Exposé des motifs de la proposition {n} : clarifier l’engagement."),
        ));
        match client.call(author, "file_amendment", &form).await? {
            Outcome::Done(answer) => {
                let id = answer["id"].as_i64().context("a filed amendment's id")?;
                filed.push((id, kind));
            }
            Outcome::Refused => bail!("filing {n} was refused"),
        }
    }
    let (mut cosigned, mut admissible, mut inadmissible) = (0, 0, 0);
    for (n, (id, kind)) in filed.iter().enumerate() {
        // Half the list gathers a co-signatory; a third of it is then declared admissible, a tenth refused.
        if n.is_multiple_of(2) || *kind == "delete" {
            let cosigner = &delegates[(n + 1) % delegates.len()];
            if let Outcome::Done(_) = client
                .call(
                    cosigner,
                    "co_sign_amendment",
                    &[("amendment_id", id.to_string())],
                )
                .await?
            {
                cosigned += 1;
            }
            if candidate(n, kind)
                && let Outcome::Done(_) = client
                    .call(
                        &organizer,
                        "declare_admissible",
                        &[("amendment_id", id.to_string())],
                    )
                    .await?
            {
                admissible += 1;
            }
        }
        if n % 10 == 5 {
            let reason = (
                "reason",
                "Sans rapport avec l’objet de la motion.".to_owned(),
            );
            if let Outcome::Done(_) = client
                .call(
                    &organizer,
                    "declare_inadmissible",
                    &[("amendment_id", id.to_string()), reason],
                )
                .await?
            {
                inadmissible += 1;
            }
        }
    }
    // Some admissible ones are adopted (every deletion among them: the amendments of a deleted paragraph
    // fall), some rejected; a refusal (the text moved, a conflict) is what a session meets too.
    let (mut adopted, mut rejected, mut refused) = (0, 0, 0);
    for (n, (id, kind)) in filed.iter().enumerate() {
        let function = if *kind == "delete" || (candidate(n, kind) && n.is_multiple_of(30)) {
            "adopt_amendment"
        } else if candidate(n, kind) && n % 18 == 2 {
            "reject_amendment"
        } else {
            continue;
        };
        match client
            .call(&organizer, function, &[("amendment_id", id.to_string())])
            .await?
        {
            Outcome::Done(_) if function == "adopt_amendment" => adopted += 1,
            Outcome::Done(_) => rejected += 1,
            Outcome::Refused => refused += 1,
        }
    }
    println!(
        "fixture: {} amendments filed on motion {} ({} delegates), {cosigned} co-signed, {admissible} admissible, \
         {inadmissible} inadmissible, {adopted} adopted, {rejected} rejected, {refused} decisions refused by the rules",
        filed.len(),
        client.motion,
        delegates.len()
    );
    println!("motion={}", client.motion);
    Ok(())
}

/// A motion of `paragraphs` paragraphs of two to four lines each, in ten sections, opened to amendments.
async fn new_motion(
    client: &Client,
    organizer: &str,
    edition: i32,
    paragraphs: usize,
) -> anyhow::Result<i32> {
    let mut draft = String::new();
    for n in 0..paragraphs {
        if n.is_multiple_of(paragraphs.div_ceil(10).max(1)) {
            draft.push_str(&format!(
                "## Titre {}\n\n",
                n / paragraphs.div_ceil(10).max(1) + 1
            ));
        }
        draft.push_str(&format!(
            "Paragraphe {n} : les collectivités territoriales s’engagent à rendre leurs services numériques \
             accessibles à toutes et à tous, à publier leurs données et à former leurs agents{}.\n\n",
            ", en lien avec les associations de médiation numérique et les services de l’État".repeat(n % 3)
        ));
    }
    let response = client
        .http
        .post(format!("{}/api/fn/create_motion", client.url))
        .bearer_auth(organizer)
        .form(&[
            ("edition_id", edition.to_string()),
            (
                "title",
                format!("Motion d’essai de {paragraphs} paragraphes"),
            ),
            ("line_width", "80".to_owned()),
            ("min_cosigners", "1".to_owned()),
            ("draft", draft),
        ])
        .send()
        .await
        .context("creating the motion")?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("create_motion answered {status}: {body}");
    }
    let motion: i32 = body
        .trim()
        .parse()
        .with_context(|| format!("a motion id, got {body}"))?;
    let opening = Client {
        http: client.http.clone(),
        url: client.url.clone(),
        motion,
    };
    if let Outcome::Refused = opening
        .call(organizer, "change_phase", &[("to", "amending".into())])
        .await?
    {
        bail!("motion {motion} could not be opened to amendments");
    }
    Ok(motion)
}
