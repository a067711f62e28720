//! `hemicycle`: parse the configuration, start the runtime, serve. Every start-up failure is one clear
//! line and a non-zero exit code, never a panic.

use std::process::ExitCode;

use clap::Parser;
use server::{
    cli::{Cli, Command, IssueTokensArgs, VerifyDossierArgs},
    startup, telemetry, tokens, verify_dossier, verify_log,
};

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let command = cli.command.take();
    let config = match cli.into_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("hemicycle : {message}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    telemetry::log_panics();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("hemicycle : impossible de démarrer / cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match command {
        Some(Command::VerifyLog) => return runtime.block_on(verify_logs(&config.database_url)),
        Some(Command::IssueTokens(args)) => {
            return runtime.block_on(issue_tokens(&config.database_url, args));
        }
        Some(Command::VerifyDossier(args)) => {
            return runtime.block_on(verify_dossier_file(&config.database_url, &args));
        }
        None => {}
    }
    match runtime.block_on(startup::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hemicycle : {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `hemicycle verify-log`: one line per motion; exit 1 if any chain is broken, 2 if the database cannot be read.
async fn verify_logs(url: &str) -> ExitCode {
    let db = match connect_read_only(url).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match verify_log::verify_all(&db).await {
        Ok(reports) => {
            let mut intact = true;
            for report in &reports {
                println!("{}", report.line());
                intact &= report.broken.is_none();
            }
            if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            eprintln!("hemicycle : lecture du journal impossible / cannot read the log: {err}");
            ExitCode::from(2)
        }
    }
}

/// `hemicycle issue-tokens`: exit 0 with the tokens written, 1 with a sentence saying why not.
async fn issue_tokens(url: &str, args: IssueTokensArgs) -> ExitCode {
    let result = async {
        let db = app::ssr::store::open(url).await?;
        let request = tokens::TokenRequest {
            motion_id: args.motion,
            count: args.count,
            role: args.role.into(),
            attendance: args.attendance.into(),
            create_members: args.create_members,
        };
        let issued = tokens::issue(&db, &request, app::ssr::now_millis()).await?;
        tokens::write_tokens(&args.out, &issued.tokens)?;
        anyhow::Ok(issued)
    }
    .await;
    match result {
        Ok(issued) => {
            println!(
                "{} jetons pour {} membres écrits dans / {} tokens for {} members written to {}",
                issued.tokens.len(),
                issued.members,
                issued.tokens.len(),
                issued.members,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("hemicycle : {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `hemicycle verify-dossier`: exit 0 when the dossier is intact (and matches the log if asked), 1 when it was
/// altered or does not match, 2 when the file or the database cannot be read.
async fn verify_dossier_file(url: &str, args: &VerifyDossierArgs) -> ExitCode {
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!(
                "hemicycle : lecture impossible / cannot read {}: {err}",
                args.file.display()
            );
            return ExitCode::from(2);
        }
    };
    let verified = match verify_dossier::check_file(&bytes) {
        Ok(verified) => verified,
        Err(tampering) => {
            println!("DOSSIER ALTÉRÉ / DOSSIER ALTERED: {tampering}");
            return ExitCode::from(1);
        }
    };
    let manifest = &verified.manifest;
    println!(
        "dossier intègre / dossier intact: motion {}, événement / event {}, {} fichiers / files, texte / text {}",
        manifest.motion_id,
        manifest.seq,
        manifest.files.len(),
        manifest.text_sha256
    );
    if !args.with_database {
        return ExitCode::SUCCESS;
    }
    let db = match connect_read_only(url).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match verify_dossier::check_against_log(&db, &verified).await {
        Ok(Ok(())) => {
            println!(
                "conforme au journal / matches the log: {}",
                manifest.log_head_hash
            );
            ExitCode::SUCCESS
        }
        Ok(Err(disagreement)) => {
            println!("NON CONFORME AU JOURNAL / DOES NOT MATCH THE LOG: {disagreement}");
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("hemicycle : lecture du journal impossible / cannot read the log: {err}");
            ExitCode::from(2)
        }
    }
}

/// The database for a tool that only reads (no migration): exit code 2 with a sentence if it cannot be reached.
async fn connect_read_only(url: &str) -> Result<sea_orm::DatabaseConnection, ExitCode> {
    sea_orm::Database::connect(url).await.map_err(|err| {
        eprintln!(
            "hemicycle : base de données injoignable / database unreachable ({}): {err}",
            app::ssr::store::redact_url(url)
        );
        ExitCode::from(2)
    })
}
