//! From an HTTP answer to the client's result: the pure step the client takes after the round
//! trip, exposed so tests (and every binding's tests) can feed it recorded answers.

use crate::catalogue::Product;
use crate::client::{Balance, SendResult};
use crate::error::{ApiError, Error, OutcomeUnknownError, UnknownReason};
use crate::wire::{self, ApiMethod, ProtocolError};

/// What a Submit answer (`status`, `body`) from `url` means: accepted, refused with a code, or
/// not an API answer at all (outcome unknown).
pub fn submit_outcome(
    product: Product,
    url: &str,
    status: u16,
    body: &[u8],
) -> Result<SendResult, Error> {
    let reply = wire::parse_submit(product, status, body).map_err(|e| unknown(url, e))?;
    if reply.code != 2 {
        return Err(api(product, ApiMethod::Submit, reply.code, reply.msg));
    }
    Ok(SendResult {
        product,
        id: reply.id,
        code: reply.code,
        msg: reply.msg,
    })
}

/// What a GetNum answer (`status`, `body`) from `url` means.
pub fn get_num_outcome(
    product: Product,
    url: &str,
    status: u16,
    body: &[u8],
) -> Result<Balance, Error> {
    let reply = wire::parse_get_num(product, status, body).map_err(|e| unknown(url, e))?;
    if reply.code != 2 {
        return Err(api(product, ApiMethod::GetNum, reply.code, reply.msg));
    }
    Ok(Balance {
        product,
        num: reply.num,
        code: reply.code,
        msg: reply.msg,
    })
}

fn unknown(url: &str, e: ProtocolError) -> Error {
    let reason = if e.status == 200 {
        UnknownReason::UnparseableBody
    } else {
        UnknownReason::HttpStatus(e.status)
    };
    Error::OutcomeUnknown(OutcomeUnknownError {
        reason,
        url: url.to_owned(),
        detail: e.to_string(),
    })
}

fn api(product: Product, method: ApiMethod, code: i64, msg: String) -> Error {
    Error::Api(ApiError {
        product,
        method,
        code,
        msg,
        class: product.class_of(code),
    })
}
