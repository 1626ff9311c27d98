//! Knowing before sending: `ihuyi.estimate`, `ihuyi.normalize_mobile` and
//! `ihuyi.FrequencyGuard`, thin wrappers over the core's.

use ihuyi::catalogue::{SEGMENT_RULE_70_66, SEGMENT_RULE_70_67, SegmentRule};
use ihuyi::{FrequencyLimits, guard::CHINA_STANDARD_TIME};
use pyo3::prelude::*;

use crate::client::parse_product;
use crate::convert;
use crate::errors;

/// One thing the platform would refuse (``code`` set) or that deserves attention (``code`` is
/// ``None``).
///
/// Attributes:
///     kind: What was found: ``"empty"``, ``"too_long"``, ``"emoji"``, ``"signature_missing"``,
///         ``"signature_malformed"``, ``"signature_length"``, ``"voice_digits"``, ``"astral"``
///         or ``"control"``.
///     code: The result code the platform would answer (e.g. 4073), or ``None``.
///     vendor_message: The vendor's message for that code, or ``None``.
///     message: What was found, in English.
#[pyclass(frozen, eq, module = "ihuyi._native", name = "EstimateWarning")]
#[derive(PartialEq, Eq, Clone)]
pub struct EstimateWarning {
    /// What was found (snake_case).
    #[pyo3(get)]
    kind: &'static str,
    /// The result code the platform would answer, or `None`.
    #[pyo3(get)]
    code: Option<i64>,
    /// The vendor's message for that code, or `None`.
    #[pyo3(get)]
    vendor_message: Option<&'static str>,
    /// What was found, in English.
    #[pyo3(get)]
    message: String,
}

#[pymethods]
impl EstimateWarning {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "EstimateWarning(kind={}, code={}, message={})",
            convert::repr(py, self.kind),
            convert::repr_int(self.code),
            convert::repr(py, &self.message)
        )
    }
}

/// What :func:`estimate` found.
///
/// Attributes:
///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
///     message: The text that would be sent (the signature appended when it was given apart).
///     characters: Characters as the vendor counts them (every letter, symbol or Chinese
///         character is one), signature included.
///     utf16_units: UTF-16 code units (what a carrier encoding UCS-2 counts).
///     segments: Billed segments (a voice code is one call).
///     rule: The segment rule, ``"70/67"`` or ``"70/66"``; ``None`` for voice codes.
///     signature_added: Whether the given signature was appended.
///     warnings: What the platform would refuse, or might count differently.
///     acceptable: ``True`` when no warning names a result code.
#[pyclass(frozen, module = "ihuyi._native", name = "Estimate")]
pub struct Estimate {
    /// `sms`, `voice` or `isms`.
    #[pyo3(get)]
    product: &'static str,
    /// The text that would be sent.
    #[pyo3(get)]
    message: String,
    /// Characters as the vendor counts them, signature included.
    #[pyo3(get)]
    characters: usize,
    /// UTF-16 code units.
    #[pyo3(get)]
    utf16_units: usize,
    /// Billed segments.
    #[pyo3(get)]
    segments: u64,
    /// The segment rule's name, or `None` for voice codes.
    #[pyo3(get)]
    rule: Option<&'static str>,
    /// Whether the given signature was appended.
    #[pyo3(get)]
    signature_added: bool,
    /// What the platform would refuse or might count differently.
    #[pyo3(get)]
    warnings: Vec<EstimateWarning>,
}

#[pymethods]
impl Estimate {
    /// ``True`` when no warning names a result code: the platform should accept the content.
    #[getter]
    fn acceptable(&self) -> bool {
        self.warnings.iter().all(|w| w.code.is_none())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Estimate(product={}, characters={}, segments={}, rule={}, warnings={})",
            convert::repr(py, self.product),
            self.characters,
            self.segments,
            convert::repr_opt(py, self.rule),
            self.warnings.len()
        )
    }
}

fn parse_rule(py: Python<'_>, name: Option<String>) -> PyResult<SegmentRule> {
    match name.as_deref() {
        None | Some("70/67") => Ok(SEGMENT_RULE_70_67),
        Some("70/66") => Ok(SEGMENT_RULE_70_66),
        Some(other) => Err(errors::validation(
            py,
            "rule",
            format!(
                "unknown segment rule {:?}: expected \"70/67\" or \"70/66\"",
                other.chars().take(20).collect::<String>()
            ),
        )),
    }
}

/// Estimates a message before sending it: characters as the vendor counts them, billed
/// segments (one up to 70 characters with the signature; beyond, 67 per segment, or 66 under
/// the vendor's alternative rule), and warnings naming the code the platform would answer (over
/// 300 characters 4073, emoji 4074, a missing or malformed 【signature】 4070-4072).
///
/// Args:
///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
///     content: The message text.
///     signature: A signature, with or without its 【】, appended unless the content already
///         starts or ends with it (ignored for voice).
///     rule: ``"70/67"`` (the default) or ``"70/66"``.
///
/// Returns:
///     Estimate: never raises because of what the content holds; problems are warnings.
///
/// Raises:
///     ValidationError: An unknown product or rule.
#[pyfunction]
#[pyo3(signature = (product, content, signature = None, rule = None))]
pub fn estimate(
    py: Python<'_>,
    product: &Bound<'_, PyAny>,
    content: &Bound<'_, PyAny>,
    signature: Option<&Bound<'_, PyAny>>,
    rule: Option<&Bound<'_, PyAny>>,
) -> PyResult<Estimate> {
    let product = parse_product(py, Some(product))?;
    let content = convert::text(content, "content")?;
    let signature = convert::optional_text(signature, "signature")?;
    let rule = parse_rule(py, convert::optional_text(rule, "rule")?)?;
    let e = ihuyi::estimate_with_rule(product, &content, signature.as_deref(), rule);
    Ok(Estimate {
        product: e.product.name(),
        characters: e.characters,
        utf16_units: e.utf16_units,
        segments: e.segments,
        rule: e.rule.map(|r| r.name),
        signature_added: e.signature_added,
        warnings: e
            .warnings
            .into_iter()
            .map(|w| EstimateWarning {
                kind: w.kind.as_str(),
                code: w.code,
                vendor_message: w.vendor_message,
                message: w.message,
            })
            .collect(),
        message: e.message,
    })
}

/// Turns a number as people type it into the form the API of ``product`` accepts:
/// ``"+86 138-0013-8000"`` becomes ``"13800138000"`` for ``sms`` and ``voice``;
/// ``"00852-61234567"`` becomes ``"852 61234567"`` for ``isms``, checked against that country's
/// numbering plan. Clients apply it on every send unless ``strict_mobile=True``.
///
/// Args:
///     product: ``"sms"``, ``"voice"`` or ``"isms"``.
///     mobile: The number as typed.
///
/// Returns:
///     str: the number in the API's form.
///
/// Raises:
///     ValidationError: It cannot be a number for that product (``field == "mobile"``; the
///         message says why).
#[pyfunction]
pub fn normalize_mobile(
    py: Python<'_>,
    product: &Bound<'_, PyAny>,
    mobile: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let product = parse_product(py, Some(product))?;
    let mobile = convert::text(mobile, "mobile")?;
    ihuyi::normalize_mobile(product, &mobile).map_err(|e| errors::to_py(py, e))
}

/// A local frequency guard: refuses, before anything is sent, a send the platform would refuse
/// for frequency, with a :class:`ValidationError` (``field == "frequency"``). Give it to clients
/// with ``Client(..., frequency_guard=guard)``; clients given one guard share its counts, which
/// are kept in memory for this process and are thread-safe.
///
/// Limits are per number (and product and account); ``None`` turns one off. A send is counted
/// before it is written and released when the server refused it or nothing was sent.
///
/// Args:
///     per_second: Sends in one second (the platform's limit is 1, code 4080).
///     per_day: Sends per day (5, code 4082).
///     codes_per_day: Verification codes per day (5, code 4085): every voice code, and texts
///         containing 验证码, 校验码, 动态码 or "verification code".
///     day_offset: Seconds east of UTC where a day starts (default 28800: China Standard Time).
///
/// Raises:
///     ValidationError: A negative limit.
#[pyclass(frozen, module = "ihuyi._native", name = "FrequencyGuard")]
pub struct FrequencyGuard {
    pub(crate) inner: ihuyi::FrequencyGuard,
}

#[pymethods]
impl FrequencyGuard {
    #[new]
    #[pyo3(
        signature = (per_second = Some(1), per_day = Some(5), codes_per_day = Some(5), day_offset = CHINA_STANDARD_TIME),
        text_signature = "(per_second=1, per_day=5, codes_per_day=5, day_offset=28800)"
    )]
    fn new(
        py: Python<'_>,
        per_second: Option<i64>,
        per_day: Option<i64>,
        codes_per_day: Option<i64>,
        day_offset: i64,
    ) -> PyResult<FrequencyGuard> {
        let limit = |value: Option<i64>, field: &'static str| -> PyResult<Option<u32>> {
            value
                .map(|v| {
                    u32::try_from(v).map_err(|_| {
                        errors::validation(
                            py,
                            field,
                            format!("must be None or in [0, {}], not {v}", u32::MAX),
                        )
                    })
                })
                .transpose()
        };
        if day_offset.abs() > 86_400 {
            return Err(errors::validation(
                py,
                "day_offset",
                "must be within one day of UTC (in seconds)",
            ));
        }
        let limits = FrequencyLimits {
            per_second: limit(per_second, "per_second")?,
            per_day: limit(per_day, "per_day")?,
            codes_per_day: limit(codes_per_day, "codes_per_day")?,
            day_offset,
        };
        Ok(FrequencyGuard {
            inner: ihuyi::FrequencyGuard::new(limits),
        })
    }

    /// Sends per number in one second, or ``None``.
    #[getter]
    fn per_second(&self) -> Option<u32> {
        self.inner.limits().per_second
    }

    /// Sends per number per day, or ``None``.
    #[getter]
    fn per_day(&self) -> Option<u32> {
        self.inner.limits().per_day
    }

    /// Verification codes per number per day, or ``None``.
    #[getter]
    fn codes_per_day(&self) -> Option<u32> {
        self.inner.limits().codes_per_day
    }

    /// Seconds east of UTC where a day starts.
    #[getter]
    fn day_offset(&self) -> i64 {
        self.inner.limits().day_offset
    }

    fn __repr__(&self) -> String {
        let opt = |v: Option<u32>| v.map_or_else(|| "None".to_owned(), |v| v.to_string());
        let l = self.inner.limits();
        format!(
            "FrequencyGuard(per_second={}, per_day={}, codes_per_day={}, day_offset={})",
            opt(l.per_second),
            opt(l.per_day),
            opt(l.codes_per_day),
            l.day_offset
        )
    }
}
