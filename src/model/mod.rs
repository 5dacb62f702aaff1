//! The structured model of a rule document: plain data, serialisable, shared by
//! every check and handed unchanged to templates.

mod doc;
mod front_matter;
mod section;
mod snippet;

pub use doc::{Import, Layout, Link, PurposeSource, RuleDoc, Scope, TierSources};
pub use front_matter::{FrontMatter, FrontMatterError};
pub use section::Section;
pub use snippet::{Fence, Marker, Snippet};
