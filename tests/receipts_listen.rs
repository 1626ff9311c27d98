//! `ihuyi receipts listen` on its own: acknowledgement, one JSON line per first-seen receipt,
//! duplicate counting, malformed pushes refused with an error status and never a crash.

mod sandbox_common;

use sandbox_common::{Listener, raw_http};

const RECEIPT: &[u8] = b"code=2&msg=DELIVRD&mobilephone=13800138000&smsid=16842079209571524017&report_time=2026-11-23+10%3A00%3A05";

#[test]
fn acknowledges_writes_once_and_counts_duplicates() {
    let listener = Listener::start("listen", &[]);
    for _ in 0..3 {
        let answer = listener.push(RECEIPT);
        assert_eq!((answer.status, answer.body.as_str()), (200, "success"));
    }
    // Same id, another product: a different receipt.
    let answer = listener.push(
        b"code=0&msg=UNDELIV&mobilephone=13800138000&voiceid=16842079209571524017&report_time=x",
    );
    assert_eq!(answer.body, "success");
    let lines = listener.lines();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0]["product"], "sms");
    assert_eq!(lines[0]["id"], "16842079209571524017");
    assert_eq!(lines[0]["code"], 2);
    assert_eq!(lines[0]["delivered"], true);
    assert_eq!(lines[0]["time"], "2026-11-23 10:00:05");
    assert_eq!(lines[0]["fields"]["report_time"], "2026-11-23 10:00:05");
    assert_eq!(lines[1]["product"], "voice");
    assert_eq!(lines[1]["delivered"], false);
    let stats = listener.stats();
    assert_eq!(stats["written"], 2);
    assert_eq!(stats["duplicates"], 2);
}

#[test]
fn malformed_pushes_get_an_error_status_and_the_receiver_lives_on() {
    let listener = Listener::start("malformed", &[]);
    for bad in [
        &b""[..],
        b"code=2&msg=no+id",
        b"smsid=",
        b"{not json",
        b"\xff\xfe\x00garbage",
    ] {
        let answer = listener.push(bad);
        assert_eq!(answer.status, 400, "{bad:?}: {answer:?}");
        assert!(answer.body.starts_with("error:"), "{answer:?}");
    }
    let huge = vec![b'a'; 200 * 1024];
    let answer = listener.push(&huge);
    assert!(answer.status == 413 || answer.status == 0, "{answer:?}");
    // Not HTTP at all.
    let _ = raw_http(listener.addr(), b"\x16\x03\x01 hello\r\n\r\n");
    let get = raw_http(
        listener.addr(),
        b"GET /receipts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(get.status, 405);
    // Still alive and correct.
    assert_eq!(listener.push(RECEIPT).body, "success");
    assert_eq!(listener.lines().len(), 1);
    let stats = listener.stats();
    assert_eq!(stats["malformed"], 6);
    assert_eq!(stats["written"], 1);
}

#[test]
fn fail_first_refuses_only_the_first_push() {
    let listener = Listener::start("failfirst", &["--fail-first", "1"]);
    let first = listener.push(RECEIPT);
    assert_eq!(first.status, 503);
    assert!(listener.lines().is_empty(), "a refused push is not stored");
    let second = listener.push(RECEIPT);
    assert_eq!((second.status, second.body.as_str()), (200, "success"));
    assert_eq!(listener.lines().len(), 1);
}
