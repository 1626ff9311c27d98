//! The sans-IO wire layer: building a signed request and parsing an answer are pure functions
//! of their inputs (time is a parameter), with no clock and no socket.

mod form;
mod json;
mod request;
mod response;
mod xml;

pub use form::{encode_form_value, parse_form};
pub(crate) use json::read_object as read_json_object;
pub use request::{Endpoint, PasswordMode, PreparedRequest, RequestConfig};
pub use response::{
    GetNumReply, ProtocolError, SubmitReply, body_excerpt, parse_get_num, parse_submit,
};

use std::fmt;
use std::str::FromStr;

/// The two API methods, carried in the query string (`?method=Submit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiMethod {
    /// Send one message.
    Submit,
    /// Ask for the remaining balance (剩余条数).
    GetNum,
}

impl ApiMethod {
    /// `Submit` or `GetNum`, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiMethod::Submit => "Submit",
            ApiMethod::GetNum => "GetNum",
        }
    }
}

/// The answer format asked of the server (`format=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// XML, the server's default.
    #[default]
    Xml,
    /// JSON.
    Json,
}

impl Format {
    /// `xml` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("xml") {
            Ok(Format::Xml)
        } else if s.eq_ignore_ascii_case("json") {
            Ok(Format::Json)
        } else {
            Err(format!(
                "unknown format {:?}: expected xml or json",
                crate::validate::excerpt(s, 20)
            ))
        }
    }
}
