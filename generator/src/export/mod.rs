//! Machine-readable exports written by the build: the comparison matrix as CSV and the whole
//! dataset as JSON with its JSON Schema, and each measure as Akoma Ntoso XML, so others can
//! reuse the data. Imports the model.

pub(crate) mod akn;
pub(crate) mod csv;
pub(crate) mod json;
