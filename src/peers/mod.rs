//! Peers: the Regulator of Social Housing's published TSM complaints figures for every landlord
//! (embedded, and refreshable with `peers import`), a landlord's position among them, and the
//! reconciliation of its published return with its own case records.

pub mod check;
pub mod data;
pub mod import;
pub mod position;
