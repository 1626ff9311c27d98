//! The native part of the `ihuyi` Python package (`ihuyi._native`): a thin PyO3 layer over the
//! Rust core. The core does all validation, signing, HTTP and parsing; this crate only converts
//! arguments and results, releases the GIL around network calls, and maps errors
//! (`errors.rs`, the one place where that happens).

mod client;
mod convert;
mod errors;
mod know;
mod ledger;
mod pure;
mod sandbox;

use pyo3::prelude::*;

/// The native module behind the `ihuyi` package. Import `ihuyi`, not this.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", ihuyi::VERSION)?;
    m.add("ACK_BODY", ihuyi::receipt::ACK_BODY)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::SendResult>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_class::<sandbox::SandboxAccount>()?;
    m.add_class::<sandbox::LoggedRequest>()?;
    m.add_class::<pure::Receipt>()?;
    m.add_function(wrap_pyfunction!(pure::parse_receipt, m)?)?;
    m.add_function(wrap_pyfunction!(pure::dynamic_password, m)?)?;
    m.add_function(wrap_pyfunction!(pure::interpret_answer, m)?)?;
    m.add_class::<know::Estimate>()?;
    m.add_class::<know::EstimateWarning>()?;
    m.add_class::<know::FrequencyGuard>()?;
    m.add_class::<ledger::Ledger>()?;
    m.add_function(wrap_pyfunction!(know::estimate, m)?)?;
    m.add_function(wrap_pyfunction!(know::normalize_mobile, m)?)?;
    Ok(())
}
