use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use ruledoc::load::map_documents;

use super::{GlobalArgs, report_problems, settings};

/// Print the structured model of rule documents.
///
/// One file prints an object; several files, or a folder, print an array.
/// Lines are 1-based.
/// With no path, parses the rule set `check` would check.
#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Documents or folders to parse
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = ModelFormat::Json)]
    pub format: ModelFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ModelFormat {
    Json,
    Yaml,
}

pub(super) fn run(args: &ParseArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let walk = settings.walk(&args.paths)?;
    // The output's shape follows the input's: one file named, one object.
    let single = matches!(args.paths.as_slice(), [one] if one.is_file());
    let format = args.format;

    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut count = 0usize;
    let mut write_err: Option<io::Error> = None;
    if !single && format == ModelFormat::Json {
        out.write_all(b"[")?;
    }
    let problems = map_documents(
        walk,
        &settings,
        |d, _| render(&d, format, single),
        |text| {
            if write_err.is_some() {
                return;
            }
            let sep: &[u8] = match (format, single, count) {
                (ModelFormat::Json, false, 0) => b"\n",
                (ModelFormat::Json, false, _) => b",\n",
                _ => b"",
            };
            count += 1;
            if let Err(e) = out
                .write_all(sep)
                .and_then(|_| out.write_all(text.as_bytes()))
            {
                write_err = Some(e);
            }
        },
    );
    if let Some(e) = write_err {
        return Err(e.into());
    }
    match (format, single) {
        (ModelFormat::Json, false) => out.write_all(if count == 0 { b"]\n" } else { b"\n]\n" })?,
        (ModelFormat::Json, true) => out.write_all(b"\n")?,
        _ => {}
    }
    out.flush()?;
    let failed = report_problems(&problems, global);
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// One document's text: a JSON object, or a YAML mapping (a one-item sequence
/// when several documents make up a list, so the pieces concatenate).
fn render(d: &ruledoc::load::Document, format: ModelFormat, single: bool) -> String {
    let doc = &d.doc;
    match format {
        ModelFormat::Json => {
            // Sized up front: the model is about twice the text (code plus escapes).
            let mut buf = Vec::with_capacity(d.source.text.len() * 2 + 1024);
            match serde_json::to_writer_pretty(&mut buf, doc) {
                Ok(()) => String::from_utf8(buf).unwrap_or_default(),
                Err(_) => String::new(),
            }
        }
        ModelFormat::Yaml if single => serde_saphyr::to_string(doc).unwrap_or_default(),
        ModelFormat::Yaml => serde_saphyr::to_string(&[doc]).unwrap_or_default(),
    }
}
