//! Who is asking: the ways a person proves who they are (OpenID Connect for now).
//! Server-only; knows nothing of sessions, members or routes, which call into it.

pub mod oidc;
