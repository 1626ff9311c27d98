//! Delivery-receipt pushes (回执推送): after an accepted Submit the sandbox POSTs the receipt form
//! to the account's push URL, and pushes again when the answer is not the body `success`: at most
//! [`MAX_PUSHES`] pushes, waiting 60 s, then 120 s, … of sandbox time between them.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};

use super::clock::china_time;
use crate::catalogue::Product;
use crate::wire::encode_form_value;

/// Pushes of one receipt, in all.
pub const MAX_PUSHES: u32 = 3;

/// How much the wait between pushes grows each time, in sandbox seconds.
pub const PUSH_INTERVAL_STEP_SECONDS: f64 = 60.0;

/// How long one push may take, in real time, before it counts as failed.
const PUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// The delivery outcome the sandbox reports for one number (default: delivered, `2`/`DELIVRD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRule {
    /// The recipient, exactly as sent.
    pub mobile: String,
    /// The receipt's `code`: 2 delivered, anything else failed.
    #[serde(default = "delivered_code")]
    pub code: i64,
    /// The receipt's `msg` (the operator's status word, e.g. `UNDELIV`).
    #[serde(default = "delivered_msg")]
    pub msg: String,
}

fn delivered_code() -> i64 {
    2
}

fn delivered_msg() -> String {
    "DELIVRD".into()
}

/// One push the sandbox made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PushAttempt {
    /// The product of the message.
    pub product: Product,
    /// The message id.
    pub id: String,
    /// The recipient.
    pub mobile: String,
    /// 1 for the first push, up to [`MAX_PUSHES`].
    pub attempt: u32,
    /// Where it went.
    pub url: String,
    /// Sandbox time of the push (Unix seconds).
    pub unix_time: u64,
    /// The HTTP status answered, if any.
    pub status: Option<u16>,
    /// True when the receiver answered the body `success`.
    pub acknowledged: bool,
    /// Why it failed, when it did not get an answer.
    pub error: Option<String>,
}

/// A receipt waiting to be pushed.
pub(crate) struct PushJob {
    pub product: Product,
    pub id: String,
    pub mobile: String,
    pub code: i64,
    pub msg: String,
    pub url: String,
}

impl PushJob {
    /// The form body, with the fields the platform pushes for the product.
    pub fn body(&self, now: u64) -> String {
        let time_field = match self.product {
            Product::Isms => "reply_time",
            Product::Sms | Product::Voice => "report_time",
        };
        let mut out = String::with_capacity(160);
        let code = self.code.to_string();
        let time = china_time(now);
        for (i, (k, v)) in [
            ("code", code.as_str()),
            ("msg", self.msg.as_str()),
            ("mobilephone", self.mobile.as_str()),
            (self.product.spec().id_field, self.id.as_str()),
            (time_field, time.as_str()),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            encode_form_value(v, &mut out);
        }
        out
    }
}

/// Every push attempt, newest kept.
pub(crate) type PushLog = super::log::BoundedLog<PushAttempt>;

/// Real time corresponding to `seconds` of sandbox time.
pub(crate) fn scaled(seconds: f64, time_scale: f64) -> Duration {
    let scale = if time_scale.is_finite() && time_scale > 0.0 {
        time_scale
    } else {
        1.0
    };
    Duration::from_secs_f64((seconds / scale).clamp(0.0, 86_400.0))
}

/// Pushes one receipt until acknowledged or [`MAX_PUSHES`] were made.
pub(crate) async fn deliver(
    job: PushJob,
    first_delay: Duration,
    time_scale: f64,
    now: impl Fn() -> u64,
    log: Arc<PushLog>,
) {
    tokio::time::sleep(first_delay).await;
    for attempt in 1..=MAX_PUSHES {
        let unix_time = now();
        let body = job.body(unix_time);
        let outcome = tokio::time::timeout(PUSH_TIMEOUT, post(&job.url, body)).await;
        let (status, acknowledged, error) = match outcome {
            Ok(Ok((status, answer))) => (Some(status), answer.trim_ascii() == b"success", None),
            Ok(Err(e)) => (None, false, Some(e)),
            Err(_) => (None, false, Some("timed out".to_owned())),
        };
        log.push(PushAttempt {
            product: job.product,
            id: job.id.clone(),
            mobile: job.mobile.clone(),
            attempt,
            url: job.url.clone(),
            unix_time,
            status,
            acknowledged,
            error,
        });
        if acknowledged || attempt == MAX_PUSHES {
            return;
        }
        let wait = PUSH_INTERVAL_STEP_SECONDS * f64::from(attempt);
        tokio::time::sleep(scaled(wait, time_scale)).await;
    }
}

/// One POST over a fresh connection; returns the status and up to 4 KiB of the answer.
async fn post(url: &str, body: String) -> Result<(u16, Bytes), String> {
    let uri: Uri = url.parse().map_err(|e| format!("bad push URL: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err("push URLs must be http://".into());
    }
    let host = uri.host().ok_or("push URL has no host")?;
    let port = uri.port_u16().unwrap_or(80);
    let authority = uri
        .authority()
        .map_or_else(|| host.to_owned(), |a| a.as_str().to_owned());
    let host_for_connect = host.trim_start_matches('[').trim_end_matches(']');
    let stream = tokio::net::TcpStream::connect((host_for_connect, port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(conn);
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let request = Request::post(path)
        .header("host", authority)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "ihuyi-sandbox")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = response.status().as_u16();
    let answer = Limited::new(response.into_body(), 4096)
        .collect()
        .await
        .map_err(|e| format!("answer: {e}"))?
        .to_bytes();
    Ok((status, answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_per_product() {
        let job = PushJob {
            product: Product::Isms,
            id: "90000000000000000001".into(),
            mobile: "63 9171234567".into(),
            code: 2,
            msg: "DELIVRD".into(),
            url: String::new(),
        };
        assert_eq!(
            job.body(0),
            "code=2&msg=DELIVRD&mobilephone=63+9171234567&ismsid=90000000000000000001&reply_time=1970-01-01+08%3A00%3A00"
        );
        let parsed = crate::receipt::parse_receipt(job.body(0).as_bytes()).unwrap();
        assert_eq!(parsed.product, Some(Product::Isms));
        assert_eq!(parsed.mobile, "63 9171234567");
        let job = PushJob {
            product: Product::Voice,
            ..job
        };
        assert!(job.body(0).contains("&voiceid=9"));
        assert!(job.body(0).contains("&report_time="));
        assert_eq!(scaled(60.0, 600.0), Duration::from_millis(100));
        assert_eq!(scaled(60.0, 0.0), Duration::from_secs(60));
    }
}
