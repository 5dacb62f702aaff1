//! The structured model of a rule document: plain data, serialisable, shared by
//! every check and handed unchanged to templates.
//!
//! Positions are byte spans ([`Span`](crate::source::Span)) into the whole
//! file's text, front matter included, and 1-based lines; columns are computed
//! from spans in one place, [`SourceFile`](crate::source::SourceFile). Spans
//! and the [`Layout`] are left out of the serialised model.

mod doc;
mod format;
mod front_matter;
mod section;
mod snippet;

pub use doc::{Import, Layout, Link, PurposeSource, RuleDoc, Scope, TierSources};
pub use format::{Format, Loads};
pub use front_matter::{FrontMatter, FrontMatterError};
pub use section::Section;
pub use snippet::{Container, Fence, Marker, Snippet};
