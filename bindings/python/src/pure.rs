//! The core's pure functions, exposed for the shared fixtures (`tests/fixtures/*.json`) and for
//! receipt endpoints: receipts, dynamic passwords, and what an HTTP answer means.

use ihuyi::wire::Endpoint;
use ihuyi::{ApiMethod, Product, sign};
use pyo3::prelude::*;
use pyo3::types::PyInt;

use crate::client::{SendResult, parse_product};
use crate::convert;
use crate::errors;

/// A delivery receipt (回执推送) that the platform POSTs to your URL.
///
/// The platform repeats a push until it is answered ``success`` (at most 3 times), so
/// de-duplicate by ``(product, id)``.
///
/// Attributes:
///     product: ``"sms"``, ``"voice"`` or ``"isms"`` (told by the id field's name), or ``None``
///         when the push used a generic name.
///     id: The message id the send returned.
///     code: The delivery code (2 is delivered), or ``None`` when missing or not a number.
///     delivered: ``True`` when ``code == 2``.
///     msg: The platform's description.
///     mobile: The recipient.
///     time: When it was reported, as sent.
///     fields: Every field of the push, in order, as ``(name, value)`` pairs.
#[pyclass(frozen, eq, module = "ihuyi._native", name = "Receipt")]
#[derive(PartialEq, Eq)]
pub struct Receipt {
    /// `sms`, `voice`, `isms`, or `None` when the push used a generic id field.
    #[pyo3(get)]
    product: Option<String>,
    /// The message id the send returned.
    #[pyo3(get)]
    id: String,
    /// The delivery code (2 is delivered), or `None` when missing or not a number.
    #[pyo3(get)]
    code: Option<i64>,
    /// The platform's description.
    #[pyo3(get)]
    msg: String,
    /// The recipient.
    #[pyo3(get)]
    mobile: String,
    /// When it was reported, as sent.
    #[pyo3(get)]
    time: String,
    /// Every field of the push, in order, as `(name, value)` pairs.
    #[pyo3(get)]
    fields: Vec<(String, String)>,
}

#[pymethods]
impl Receipt {
    /// ``True`` when the platform reports the message delivered (code 2).
    #[getter]
    fn delivered(&self) -> bool {
        self.code == Some(2)
    }

    /// The value of the first field called ``name``, or ``None``.
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Receipt(product={}, id={}, code={}, delivered={}, mobile={}, time={}, msg={})",
            convert::repr_opt(py, self.product.as_deref()),
            convert::repr(py, &self.id),
            convert::repr_int(self.code),
            convert::py_bool(self.delivered()),
            convert::repr(py, &self.mobile),
            convert::repr(py, &self.time),
            convert::repr(py, &self.msg),
        )
    }
}

/// Parses a delivery receipt push body (form-encoded, or a JSON object).
///
/// Answer the push with ``ACK_BODY`` (``"success"``) once it is stored.
///
/// Args:
///     body: The request body, as ``bytes`` (preferred) or ``str``.
///
/// Returns:
///     Receipt: the parsed receipt.
///
/// Raises:
///     ValidationError: The body is not a receipt (empty, no id, too large); ``field`` is
///         ``"body"``.
#[pyfunction]
pub fn parse_receipt(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Receipt> {
    let bytes = convert::body(body, "body")?;
    let receipt = ihuyi::parse_receipt(&bytes).map_err(|e| errors::validation(py, "body", e.0))?;
    Ok(Receipt {
        product: receipt.product.map(|p| p.name().to_owned()),
        id: receipt.id,
        code: receipt.code,
        msg: receipt.msg,
        mobile: receipt.mobile,
        time: receipt.time,
        fields: receipt.fields,
    })
}

/// The dynamic password (动态密码) the client sends instead of the key: the lowercase hex MD5
/// of ``account + apikey + mobile + content + time`` for a send, or of
/// ``account + apikey + time`` for a balance query (when ``mobile`` and ``content`` are both
/// ``None``).
///
/// Args:
///     account: The APIID.
///     apikey: The APIKEY.
///     time: Unix time in seconds.
///     mobile: The recipient, for a send.
///     content: The content, for a send.
///
/// Returns:
///     str: 32 lowercase hex digits.
///
/// Raises:
///     ValidationError: Only one of ``mobile`` and ``content`` was given, or ``time`` is
///         negative.
#[pyfunction]
#[pyo3(signature = (account, apikey, time, mobile = None, content = None))]
pub fn dynamic_password(
    py: Python<'_>,
    account: &Bound<'_, PyAny>,
    apikey: &Bound<'_, PyAny>,
    time: &Bound<'_, PyInt>,
    mobile: Option<&Bound<'_, PyAny>>,
    content: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let account = convert::text(account, "account")?;
    let apikey = convert::text(apikey, "apikey")?;
    let time: u64 = time
        .extract()
        .map_err(|_| errors::validation(py, "time", "must be a Unix time in [0, 2**64)"))?;
    let mobile = convert::optional_text(mobile, "mobile")?;
    let content = convert::optional_text(content, "content")?;
    match (mobile, content) {
        (Some(mobile), Some(content)) => Ok(sign::submit_password(
            &account, &apikey, &mobile, &content, time,
        )),
        (None, None) => Ok(sign::get_num_password(&account, &apikey, time)),
        _ => Err(errors::validation(
            py,
            "mobile",
            "give both mobile and content (a send) or neither (a balance query)",
        )),
    }
}

/// What an HTTP answer from the platform means, exactly as the client would decide it: the
/// result of a send (a :class:`SendResult`), of a balance query (an ``int``), or the exception
/// the client would raise.
///
/// Args:
///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
///     method: ``"Submit"`` (a send) or ``"GetNum"`` (a balance query).
///     status: The HTTP status code.
///     body: The answer body.
///
/// Returns:
///     SendResult | int: the accepted send, or the balance.
///
/// Raises:
///     ApiError: The answer is a refusal.
///     OutcomeUnknownError: The answer is not an API answer (a status other than 200, an
///         unparseable body).
///     ValidationError: An unknown product or method.
#[pyfunction]
pub fn interpret_answer(
    py: Python<'_>,
    product: &Bound<'_, PyAny>,
    method: &Bound<'_, PyAny>,
    status: u16,
    body: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let product: Product = parse_product(py, Some(product))?;
    let method = match convert::text(method, "method")?.as_str() {
        "Submit" => ApiMethod::Submit,
        "GetNum" => ApiMethod::GetNum,
        other => {
            return Err(errors::validation(
                py,
                "method",
                format!(
                    "unknown method {:?}: expected Submit or GetNum",
                    other.chars().take(20).collect::<String>()
                ),
            ));
        }
    };
    let body = convert::body(body, "body")?;
    // The URL errors name: the vendor's, as no request was made.
    let url = format!(
        "{}{}?method={}",
        Endpoint::vendor_origin(product),
        product.spec().path,
        method.as_str()
    );
    match method {
        ApiMethod::Submit => {
            let sent = ihuyi::submit_outcome(product, &url, status, &body)
                .map_err(|e| errors::to_py(py, e))?;
            Ok(Py::new(py, SendResult::from_core(sent))?.into_any())
        }
        ApiMethod::GetNum => {
            let balance = ihuyi::get_num_outcome(product, &url, status, &body)
                .map_err(|e| errors::to_py(py, e))?;
            Ok(balance.num.into_pyobject(py)?.into_any().unbind())
        }
    }
}
