//! The check of the `c_abi` fuzz target: the C ABI's input-taking functions (bindings/c/src,
//! linked as the rlib `ihuyi_c` from bindings/c/rlib) called from Rust exactly as a C program
//! calls them, with arbitrary strings (any bytes up to the first NUL: invalid UTF-8 included, or
//! a NULL pointer), bodies, numbers, buffer lengths and NULL out-parameters. No network: clients
//! are built and freed, never used.
//!
//! Every call is held to its doc comment: the status is one the header defines and never
//! `IHUYI_ERR_PANIC`; it is the one the arguments call for (the first bad argument in the order
//! the function checks them, then the core's answer); `ihuyi_last_status()` repeats it and the
//! last-error accessors describe it (a non-empty message on failure, the core's own message where
//! the failure is the core's, the API code, message and class of a refusal, `snprintf`-like
//! truncation at any buffer length, the API key never in a message: see [`no_key`]);
//! out-parameters are written
//! on `IHUYI_OK` only, with what the core's own function gives for the same input, and returned
//! strings are NUL-terminated UTF-8 released with `ihuyi_string_free()`; freed handles are
//! refused, and freeing does not touch the last error.
//!
//! Shared by fuzz/fuzz_targets/c_abi.rs and bindings/c/rlib/tests/fuzz_regressions.rs (the
//! replay of fuzz/regressions/c_abi/); both name the core crate `ihuyi` and the C ABI `ihuyi_c`.
#![allow(dead_code)]

use std::ffi::{CStr, CString, c_char};
use std::ptr::{null, null_mut};

use arbitrary::{Arbitrary, Unstructured};

use ihuyi::catalogue::{SEGMENT_RULE_70_66, SEGMENT_RULE_70_67, SegmentRule};
use ihuyi::{ApiKey, ErrorKind, Format, PasswordMode, Product, Timeouts};
use ihuyi_c::ihuyi_status::{self as S, *};
use ihuyi_c::*;

/// Strings worth more than random bytes: the names the functions accept, real-looking numbers,
/// contents, URLs and credentials. `Arg::Known` picks one.
const KNOWN: &[&str] = &[
    "sms",
    "voice",
    "isms",
    "SMS",
    "Isms",
    "xml",
    "JSON",
    "dynamic",
    "PLAIN",
    "70/67",
    "70/66",
    "",
    "http://127.0.0.1:8080",
    "https://example.invalid/",
    "http://user@host",
    "C12345678",
    "0123456789abcdef0123456789abcdef",
    "13800138000",
    "+86 138-0013-8000",
    "00852-61234567",
    "852 61234567",
    "+1 202 555 0143",
    "63 9171234567",
    "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】",
    "【互亿无线】",
    "互亿无线",
    "1234",
    "hello 😀",
    "smsid",
    "code",
    "msg",
    "report_time",
];

/// A string argument: NULL, one of [`KNOWN`], or any bytes (cut at the first NUL, as C sees it).
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Arg<'a> {
    Null,
    Known(u8),
    Bytes(&'a [u8]),
}

/// An argument as passed: the C string (or NULL) and what the C ABI makes of it.
struct CArg {
    c: Option<CString>,
}

impl CArg {
    fn new(arg: Arg<'_>) -> CArg {
        let bytes = match arg {
            Arg::Null => return CArg { c: None },
            Arg::Known(i) => KNOWN[i as usize % KNOWN.len()].as_bytes(),
            Arg::Bytes(b) => &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())],
        };
        CArg {
            c: Some(CString::new(bytes).expect("cut at the first NUL")),
        }
    }

    fn ptr(&self) -> *const c_char {
        self.c.as_ref().map_or(null(), |c| c.as_ptr())
    }

    fn bytes(&self) -> &[u8] {
        self.c.as_ref().map_or(&[], |c| c.as_bytes())
    }

    /// What `str_arg` gives: the text, or the status of a NULL, an over-long or a non-UTF-8
    /// argument (in that order).
    fn text(&self) -> Want<&str> {
        let c = self
            .c
            .as_ref()
            .ok_or(Fail::status(IHUYI_ERR_NULL_ARGUMENT))?;
        if c.as_bytes().len() > 65_536 {
            return Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT));
        }
        std::str::from_utf8(c.as_bytes()).map_err(|_| Fail::status(IHUYI_ERR_INVALID_UTF8))
    }

    /// What `opt_str_arg` gives: NULL is "not given".
    fn opt_text(&self) -> Want<Option<&str>> {
        match self.c {
            None => Ok(None),
            Some(_) => self.text().map(Some),
        }
    }

    /// What `product_arg` gives.
    fn product(&self) -> Want<Product> {
        Product::from_name(self.text()?).ok_or(Fail::status(IHUYI_ERR_INVALID_ARGUMENT))
    }
}

/// A failure the C ABI should report: its status and, when known, its message and API detail.
#[derive(Debug)]
struct Fail {
    status: S,
    /// The exact message, when the failure comes from the core (its `Display`).
    message: Option<String>,
    /// Code, message and class of an API refusal.
    api: Option<(i64, String, &'static str)>,
}

impl Fail {
    fn status(status: S) -> Fail {
        Fail {
            status,
            message: None,
            api: None,
        }
    }

    fn core(error: &ihuyi::Error) -> Fail {
        let status = match error.kind() {
            ErrorKind::Validation => IHUYI_ERR_VALIDATION,
            ErrorKind::Api => IHUYI_ERR_API,
            ErrorKind::Unreachable => IHUYI_ERR_UNREACHABLE,
            ErrorKind::OutcomeUnknown => IHUYI_ERR_OUTCOME_UNKNOWN,
        };
        let api = match error {
            ihuyi::Error::Api(e) => Some((e.code, e.msg.clone(), e.class.as_str())),
            _ => None,
        };
        Fail {
            status,
            message: Some(error.to_string()),
            api,
        }
    }
}

/// What a call should give.
type Want<T> = Result<T, Fail>;

/// Every status the header defines.
const KNOWN_STATUSES: [i32; 14] = [0, 1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 105, 106, 199];

/// A caller's buffer for a copied-out text or a password: NULL, or exactly `len` bytes.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Buf {
    null: bool,
    len: u8,
}

/// What the whole input shares: the buffer the last-error accessors are probed with.
struct Ctx {
    probe: Buf,
}

impl Ctx {
    fn new(probe: Buf) -> Ctx {
        Ctx { probe }
    }
}

/// The messages never contain the API key. Finding the key's bytes in a message is not enough:
/// a short or common key ("argument", "https://", a key that is also the account) is in many
/// messages by coincidence. So when `message` (what the call with `key` left) contains the key,
/// the call is made again by `rerun` with the key's letters and digits rotated (same length,
/// same validity); the key leaked only if that second message does not contain it too, i.e. the
/// text came from the key.
fn no_key(what: &str, key: &CArg, message: &str, rerun: impl FnOnce(&CArg) -> String) {
    let k = key.bytes();
    if k.is_empty() || !contains(message.as_bytes(), k) {
        return;
    }
    let rotated = CArg {
        c: key.c.as_ref().map(|c| {
            let bytes: Vec<u8> = c
                .as_bytes()
                .iter()
                .map(|&b| match b {
                    b'z' => b'a',
                    b'Z' => b'A',
                    b'9' => b'0',
                    b'a'..=b'y' | b'A'..=b'Y' | b'0'..=b'8' => b + 1,
                    other => other,
                })
                .collect();
            CString::new(bytes).expect("no NUL added")
        }),
    };
    if rotated.bytes() == k {
        return; // no letter or digit: nothing to tell the key from the text by
    }
    let again = rerun(&rotated);
    assert!(
        contains(again.as_bytes(), k),
        "{what}: the API key {:?} is in the message {message:?}",
        String::from_utf8_lossy(k)
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads one of the `snprintf`-like accessors (`ihuyi_last_error_message` and kin): the length
/// alone, the whole text, and a cut copy into `probe` (checked byte by byte against the whole).
fn read_text(
    what: &str,
    read: unsafe extern "C" fn(*mut c_char, usize) -> usize,
    probe: Buf,
) -> String {
    // SAFETY: NULL with length 0 asks for the length only.
    let n = unsafe { read(null_mut(), 0) };
    let mut full = vec![0xAAu8; n + 1];
    // SAFETY: `full` holds n + 1 writable bytes.
    let n2 = unsafe { read(full.as_mut_ptr().cast(), full.len()) };
    assert_eq!(n, n2, "{what}: the length changed between two reads");
    assert_eq!(full[n], 0, "{what}: not NUL-terminated");
    full.truncate(n);
    assert!(!full.contains(&0), "{what}: a NUL inside the text");
    let full = String::from_utf8(full).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    if probe.null {
        // SAFETY: NULL is allowed with any length.
        assert_eq!(unsafe { read(null_mut(), probe.len as usize) }, n, "{what}");
        return full;
    }
    // Exactly `len` bytes, so AddressSanitizer catches a write past the end.
    let len = probe.len as usize;
    let mut cut = vec![0xAAu8; len];
    // SAFETY: `cut` holds `len` writable bytes (a dangling, never-written pointer when 0).
    let n3 = unsafe { read(cut.as_mut_ptr().cast(), len) };
    assert_eq!(n3, n, "{what}: a cut copy must return the full length");
    if len == 0 {
        return full;
    }
    let mut expect = n.min(len - 1);
    while !full.is_char_boundary(expect) {
        expect -= 1;
    }
    assert_eq!(
        &cut[..expect],
        &full.as_bytes()[..expect],
        "{what}: cut copy"
    );
    assert_eq!(
        cut[expect], 0,
        "{what}: a cut copy of {len} bytes must end at {expect}"
    );
    full
}

/// The checks every fallible call shares: a defined status, the one expected, and a last-error
/// record that describes it. Returns the last error message.
fn verify<T: std::fmt::Debug>(ctx: &Ctx, what: &str, got: S, want: &Want<T>) -> String {
    let code = got as i32;
    assert_ne!(got, IHUYI_ERR_PANIC, "{what}: panicked: {}", last_message());
    assert!(
        KNOWN_STATUSES.contains(&code),
        "{what}: undefined status {code}"
    );
    // SAFETY: a static NUL-terminated string.
    let name = unsafe { CStr::from_ptr(ihuyi_status_name(code)) };
    assert_ne!(name.to_bytes(), b"IHUYI_UNKNOWN_STATUS", "{what}");
    let expected = want.as_ref().map_or_else(|f| f.status, |_| IHUYI_OK);
    assert_eq!(
        got,
        expected,
        "{what}: expected {want:?}; message {:?}",
        last_message()
    );
    assert_eq!(ihuyi_last_status(), got, "{what}: ihuyi_last_status");
    let message = read_text(what, ihuyi_last_error_message, ctx.probe);
    let api_message = read_text(what, ihuyi_last_api_message, ctx.probe);
    let api_class = read_text(what, ihuyi_last_api_class, ctx.probe);
    let code = ihuyi_last_result_code();
    match want {
        Ok(_) => {
            assert_eq!(message, "", "{what}: a success leaves no message");
            assert_eq!(
                (code, api_message.as_str(), api_class.as_str()),
                (-1, "", "")
            );
        }
        Err(fail) => {
            assert!(!message.is_empty(), "{what}: a failure without a message");
            if let Some(m) = &fail.message {
                assert_eq!(
                    message,
                    m.replace('\0', "\u{FFFD}"),
                    "{what}: the core's message"
                );
            }
            match &fail.api {
                Some((c, m, class)) => {
                    assert_eq!(code, *c, "{what}: result code");
                    assert_eq!(api_message, m.replace('\0', "\u{FFFD}"), "{what}");
                    assert_eq!(api_class, *class, "{what}");
                }
                None => assert_eq!(
                    (code, api_message.as_str(), api_class.as_str()),
                    (-1, "", "")
                ),
            }
        }
    }
    message
}

/// The last error message, for assertion messages.
fn last_message() -> String {
    // SAFETY: NULL with length 0 asks for the length only.
    let n = unsafe { ihuyi_last_error_message(null_mut(), 0) };
    let mut buf = vec![0u8; n + 1];
    // SAFETY: `buf` holds n + 1 writable bytes.
    unsafe { ihuyi_last_error_message(buf.as_mut_ptr().cast(), buf.len()) };
    CStr::from_bytes_until_nul(&buf)
        .map_or_else(|_| String::new(), |s| s.to_string_lossy().into_owned())
}

/// A value no call writes: out-parameters hold it until written, so "not written on error" is
/// checked.
fn sentinel<T>() -> *mut T {
    std::ptr::without_provenance_mut(0x5A5A_5A50)
}

/// Takes a string handed out by the library: NUL-terminated UTF-8, released with
/// `ihuyi_string_free()` (twice: the second call must be ignored).
fn take_string(what: &str, ptr: *mut c_char) -> String {
    assert!(
        !ptr.is_null() && ptr != sentinel(),
        "{what}: no string on success"
    );
    // SAFETY: a live NUL-terminated string of the library.
    let text = unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"))
        .to_owned();
    ihuyi_string_free(ptr);
    ihuyi_string_free(ptr);
    text
}

/// An out-parameter slot, or NULL when `null`.
fn slot<T>(value: &mut T, null: bool) -> *mut T {
    if null { null_mut() } else { value }
}

/// A string out-parameter: holds [`sentinel`] until written.
struct OutStr(*mut c_char);

impl OutStr {
    fn new() -> OutStr {
        OutStr(sentinel())
    }

    fn ptr(&mut self, null: bool) -> *mut *mut c_char {
        slot(&mut self.0, null)
    }

    fn untouched(&self, what: &str) {
        assert_eq!(self.0, sentinel(), "{what}: written on error");
    }

    fn take(&self, what: &str) -> String {
        take_string(what, self.0)
    }
}

/// A plain out-parameter, pre-filled with a value the call cannot write (checked as bytes, so a
/// `bool` slot can hold a non-bool until written).
struct Out<T: Copy> {
    bytes: Slot,
    _t: std::marker::PhantomData<T>,
}

/// Eight bytes aligned for any of the out-parameter types.
#[repr(C, align(8))]
struct Slot([u8; 8]);

impl<T: Copy> Out<T> {
    fn new() -> Out<T> {
        assert!(size_of::<T>() <= 8);
        Out {
            bytes: Slot([0xA5; 8]),
            _t: std::marker::PhantomData,
        }
    }

    fn ptr(&mut self, null: bool) -> *mut T {
        if null {
            null_mut()
        } else {
            self.bytes.0.as_mut_ptr().cast()
        }
    }

    fn untouched(&self, what: &str) {
        assert_eq!(self.bytes.0, [0xA5; 8], "{what}: written on error");
    }

    /// The value written (for `bool`, checked to be 0 or 1 first).
    fn get(&self, what: &str) -> T {
        let bytes = &self.bytes.0;
        assert_eq!(
            &bytes[size_of::<T>()..],
            &[0xA5; 8][size_of::<T>()..],
            "{what}: overrun"
        );
        if size_of::<T>() == 1 {
            assert!(bytes[0] <= 1, "{what}: a bool is 0 or 1, got {}", bytes[0]);
        }
        // SAFETY: the call wrote a `T` there (bools checked above); the slot is aligned.
        unsafe { bytes.as_ptr().cast::<T>().read() }
    }
}

/// An answer body: NULL with a length (0 is allowed), or bytes.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Body<'a> {
    Null { len: u8 },
    Bytes(&'a [u8]),
}

impl Body<'_> {
    fn ptr_len(&self) -> (*const u8, usize) {
        match self {
            Body::Null { len } => (null(), *len as usize),
            Body::Bytes(b) => (b.as_ptr(), b.len()),
        }
    }

    /// What `bytes_arg` gives.
    fn bytes(&self) -> Want<&[u8]> {
        match self {
            Body::Null { len: 0 } => Ok(&[]),
            Body::Null { .. } => Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT)),
            Body::Bytes(b) => Ok(b),
        }
    }
}

/// A frequency guard for a builder: its limits, and whether to pass NULL or a freed one.
#[derive(Arbitrary, Debug)]
struct GuardChoice {
    per_second: i64,
    per_day: i64,
    codes_per_day: i64,
    null_out: bool,
    null: bool,
    freed: bool,
}

/// One step on a client builder.
#[derive(Arbitrary, Debug)]
enum Step<'a> {
    BaseUrl(Arg<'a>),
    Format(Arg<'a>),
    PasswordMode(Arg<'a>),
    Timeouts(u32, u32, u32),
    MaxIdle(u32),
    Strict(bool),
    Guard(GuardChoice),
    Build {
        null_out: bool,
    },
    /// A setter (`which`) with a NULL builder.
    NullBuilder(u8),
}

#[derive(Arbitrary, Debug)]
enum Call<'a> {
    SubmitOutcome {
        product: Arg<'a>,
        any_status: Option<u16>,
        null_id: bool,
        null_msg: bool,
        body: Body<'a>,
    },
    GetNumOutcome {
        product: Arg<'a>,
        any_status: Option<u16>,
        null_num: bool,
        null_msg: bool,
        body: Body<'a>,
    },
    Receipt {
        null_out: bool,
        /// Bit i: pass NULL for the out-parameter of accessor i.
        null_outs: u16,
        null_receipt: bool,
        names: [Arg<'a>; 2],
        /// A name taken from the receipt's own fields.
        own_name: u8,
        again: bool,
        body: Body<'a>,
    },
    Estimate {
        product: Arg<'a>,
        content: Arg<'a>,
        signature: Arg<'a>,
        rule: Arg<'a>,
        null_out: bool,
        null_outs: u16,
        null_estimate: bool,
    },
    SubmitPassword {
        account: Arg<'a>,
        apikey: Arg<'a>,
        mobile: Arg<'a>,
        content: Arg<'a>,
        time: u64,
        buf: Buf,
    },
    GetNumPassword {
        account: Arg<'a>,
        apikey: Arg<'a>,
        time: u64,
        buf: Buf,
    },
    Builder {
        product: Arg<'a>,
        account: Arg<'a>,
        apikey: Arg<'a>,
        null_out: bool,
        steps: Vec<Step<'a>>,
    },
    ClientNew {
        product: Arg<'a>,
        account: Arg<'a>,
        apikey: Arg<'a>,
        base_url: Arg<'a>,
        null_out: bool,
    },
    /// International numbers make `normalize_mobile` slow (libphonenumber's regexes are
    /// recompiled when countries alternate, ~7-27 µs a call): one variant of ten, so it does not
    /// dominate the run.
    Normalize {
        product: Arg<'a>,
        input: Arg<'a>,
        null_out: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Any number for `ihuyi_status_name`.
    status: i32,
    /// The buffer the last-error accessors are probed with after every call.
    probe: Buf,
    call: Call<'a>,
}

/// Loads libphonenumber's numbering plans before the first input: the first international number
/// of a process costs ~2.7 s under AddressSanitizer (0.25 s without), which libFuzzer would
/// otherwise charge to one input (and, on a busy machine, report as a `slow-unit`).
pub fn warm_up() {
    ihuyi::normalize::warm_up();
}

/// Arbitrary arguments to the C ABI's functions that take input (see the module comment).
pub fn c_abi(data: &[u8]) {
    let Ok(input) = <Input<'_>>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    status_name(input.status);
    // SAFETY: a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(ihuyi_version()) };
    assert_eq!(version.to_str(), Ok(ihuyi::VERSION));
    let probe = input.probe;
    match input.call {
        Call::SubmitOutcome {
            product,
            any_status,
            null_id,
            null_msg,
            body,
        } => submit_outcome(
            probe,
            product,
            any_status.unwrap_or(200),
            body,
            null_id,
            null_msg,
        ),
        Call::GetNumOutcome {
            product,
            any_status,
            null_num,
            null_msg,
            body,
        } => get_num_outcome(
            probe,
            product,
            any_status.unwrap_or(200),
            body,
            null_num,
            null_msg,
        ),
        Call::Receipt {
            null_out,
            null_outs,
            null_receipt,
            names,
            own_name,
            again,
            body,
        } => receipt(
            probe,
            body,
            null_out,
            null_outs,
            null_receipt,
            names,
            own_name,
            again,
        ),
        Call::Estimate {
            product,
            content,
            signature,
            rule,
            null_out,
            null_outs,
            null_estimate,
        } => estimate(
            probe,
            [product, content, signature, rule],
            null_out,
            null_outs,
            null_estimate,
        ),
        Call::SubmitPassword {
            account,
            apikey,
            mobile,
            content,
            time,
            buf,
        } => password(probe, account, apikey, Some((mobile, content)), time, buf),
        Call::GetNumPassword {
            account,
            apikey,
            time,
            buf,
        } => password(probe, account, apikey, None, time, buf),
        Call::Builder {
            product,
            account,
            apikey,
            null_out,
            steps,
        } => builder(probe, product, account, apikey, null_out, &steps),
        Call::ClientNew {
            product,
            account,
            apikey,
            base_url,
            null_out,
        } => client_new(probe, product, account, apikey, base_url, null_out),
        Call::Normalize {
            product,
            input,
            null_out,
        } => normalize(probe, product, input, null_out),
    }
}

/// Any int: a static name, the header's spelling for a defined status, and the last error kept.
fn status_name(status: i32) {
    let before = ihuyi_last_status();
    // SAFETY: documented never NULL, static and NUL-terminated.
    let name = unsafe { CStr::from_ptr(ihuyi_status_name(status)) };
    let name = name.to_str().expect("a status name is UTF-8");
    if KNOWN_STATUSES.contains(&status) {
        assert!(
            name.starts_with("IHUYI_") && name != "IHUYI_UNKNOWN_STATUS",
            "{status}: {name}"
        );
    } else {
        assert_eq!(name, "IHUYI_UNKNOWN_STATUS", "{status}");
    }
    assert_eq!(
        ihuyi_last_status(),
        before,
        "ihuyi_status_name changed the last error"
    );
}

/// The URL the C ABI names in the messages of recorded answers (`recorded_url` in pure.rs).
fn recorded_url(product: Product, method: &str) -> String {
    let spec = product.spec();
    format!("https://{}{}?method={method}", spec.host, spec.path)
}

/// A text the C ABI hands out: refused with `IHUYI_ERR_INVALID_ARGUMENT` when it holds a NUL.
fn c_text(text: &str) -> Want<String> {
    if text.contains('\0') {
        Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT))
    } else {
        Ok(text.to_owned())
    }
}

fn submit_outcome(
    probe: Buf,
    product: Arg<'_>,
    status: u16,
    body: Body<'_>,
    null_id: bool,
    null_msg: bool,
) {
    let product = CArg::new(product);
    let ctx = Ctx::new(probe);
    let want: Want<(String, String)> = (|| {
        if null_id {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let product = product.product()?;
        let body = body.bytes()?;
        let sent = ihuyi::submit_outcome(product, &recorded_url(product, "Submit"), status, body)
            .map_err(|e| Fail::core(&e))?;
        assert_eq!((sent.code, status), (2, 200), "an accepted Submit");
        Ok((c_text(&sent.id)?, c_text(&sent.msg)?))
    })();
    let (mut id, mut msg) = (OutStr::new(), OutStr::new());
    let (ptr, len) = body.ptr_len();
    // SAFETY: valid pointers (or NULL), `ptr` valid for `len` bytes unless NULL.
    let got = unsafe {
        ihuyi_submit_outcome(
            product.ptr(),
            status,
            ptr,
            len,
            id.ptr(null_id),
            msg.ptr(null_msg),
        )
    };
    verify(&ctx, "ihuyi_submit_outcome", got, &want);
    match want {
        Ok((want_id, want_msg)) => {
            assert_eq!(id.take("out_id"), want_id);
            if null_msg {
                msg.untouched("out_msg NULL");
            } else {
                assert_eq!(msg.take("out_msg"), want_msg);
            }
        }
        Err(_) => {
            id.untouched("out_id");
            msg.untouched("out_msg");
        }
    }
}

fn get_num_outcome(
    probe: Buf,
    product: Arg<'_>,
    status: u16,
    body: Body<'_>,
    null_num: bool,
    null_msg: bool,
) {
    let product = CArg::new(product);
    let ctx = Ctx::new(probe);
    let want: Want<(i64, String)> = (|| {
        if null_num {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let product = product.product()?;
        let body = body.bytes()?;
        let balance =
            ihuyi::get_num_outcome(product, &recorded_url(product, "GetNum"), status, body)
                .map_err(|e| Fail::core(&e))?;
        assert_eq!(balance.code, 2);
        Ok((balance.num, c_text(&balance.msg)?))
    })();
    let mut num = Out::<i64>::new();
    let mut msg = OutStr::new();
    let (ptr, len) = body.ptr_len();
    // SAFETY: as above.
    let got = unsafe {
        ihuyi_get_num_outcome(
            product.ptr(),
            status,
            ptr,
            len,
            num.ptr(null_num),
            msg.ptr(null_msg),
        )
    };
    verify(&ctx, "ihuyi_get_num_outcome", got, &want);
    match want {
        Ok((want_num, want_msg)) => {
            assert_eq!(num.get("out_num"), want_num);
            if null_msg {
                msg.untouched("out_msg NULL");
            } else {
                assert_eq!(msg.take("out_msg"), want_msg);
            }
        }
        Err(_) => {
            num.untouched("out_num");
            msg.untouched("out_msg");
        }
    }
}

/// Calls `free` on a failure and checks the last error survives it (the `_free` functions and
/// `ihuyi_string_free` never change it).
fn free_keeps_last_error(free: impl FnOnce()) {
    let before = (
        ihuyi_last_status(),
        last_message(),
        ihuyi_last_result_code(),
    );
    free();
    ihuyi_string_free(null_mut());
    let after = (
        ihuyi_last_status(),
        last_message(),
        ihuyi_last_result_code(),
    );
    assert_eq!(before, after, "a _free function changed the last error");
}

/// A string accessor of a receipt (`ihuyi_receipt_id` and kin).
type ReceiptText = unsafe extern "C" fn(*const IhuyiReceipt, *mut *mut c_char) -> S;

#[allow(clippy::too_many_arguments)]
fn receipt(
    probe: Buf,
    body: Body<'_>,
    null_out: bool,
    null_outs: u16,
    null_receipt: bool,
    names: [Arg<'_>; 2],
    own_name: u8,
    again: bool,
) {
    let ctx = Ctx::new(probe);
    let want: Want<ihuyi::Receipt> = (|| {
        if null_out {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let receipt = ihuyi::parse_receipt(body.bytes()?).map_err(|e| Fail {
            status: IHUYI_ERR_VALIDATION,
            message: Some(e.to_string()),
            api: None,
        })?;
        for (name, value) in &receipt.fields {
            c_text(name)?;
            c_text(value)?;
        }
        Ok(receipt)
    })();
    let mut handle: *mut IhuyiReceipt = sentinel();
    let (ptr, len) = body.ptr_len();
    // SAFETY: as above.
    let got = unsafe { ihuyi_receipt_parse(ptr, len, slot(&mut handle, null_out)) };
    verify(&ctx, "ihuyi_receipt_parse", got, &want);
    let Ok(want) = want else {
        assert_eq!(handle, sentinel(), "out_receipt written on error");
        free_keeps_last_error(|| ihuyi_receipt_free(null_mut()));
        return;
    };
    assert!(!handle.is_null() && handle != sentinel());
    let null_at = |i: u32| null_outs & (1 << i) != 0;
    let h: *const IhuyiReceipt = if null_receipt { null() } else { handle };

    let texts: [(&str, ReceiptText, String); 5] = [
        ("ihuyi_receipt_id", ihuyi_receipt_id, want.id.clone()),
        (
            "ihuyi_receipt_product",
            ihuyi_receipt_product,
            want.product.map_or("", |p| p.name()).to_owned(),
        ),
        ("ihuyi_receipt_msg", ihuyi_receipt_msg, want.msg.clone()),
        (
            "ihuyi_receipt_mobile",
            ihuyi_receipt_mobile,
            want.mobile.clone(),
        ),
        ("ihuyi_receipt_time", ihuyi_receipt_time, want.time.clone()),
    ];
    for (i, (what, accessor, value)) in texts.into_iter().enumerate() {
        let null = null_at(i as u32);
        let expect = accessor_want(null, null_receipt).and_then(|()| c_text(&value));
        let mut out = OutStr::new();
        // SAFETY: a live handle (or NULL) and a valid out-pointer (or NULL).
        let got = unsafe { accessor(h, out.ptr(null)) };
        check_text(&ctx, what, got, &expect, &out);
    }
    let own = want
        .fields
        .get(own_name as usize % want.fields.len().max(1))
        .map(|(name, _)| CString::new(name.as_str()).expect("checked by the parse"));
    let names = names.map(CArg::new);
    let own = own.map(|c| CArg { c: Some(c) });
    for (i, name) in names.iter().chain(own.iter()).enumerate() {
        let null = null_at(5 + i as u32);
        let expect = accessor_want(null, null_receipt).and_then(|()| {
            let name = name.text()?;
            want.field(name)
                .ok_or(Fail::status(IHUYI_ERR_NOT_FOUND))
                .and_then(c_text)
        });
        let mut out = OutStr::new();
        // SAFETY: as above; `name` NUL-terminated or NULL.
        let got = unsafe { ihuyi_receipt_field(h, name.ptr(), out.ptr(null)) };
        check_text(&ctx, "ihuyi_receipt_field", got, &expect, &out);
    }
    {
        let null = null_at(8);
        let expect = accessor_want(null, null_receipt)
            .and_then(|()| want.code.ok_or(Fail::status(IHUYI_ERR_NOT_FOUND)));
        let mut out = Out::<i64>::new();
        // SAFETY: as above.
        let got = unsafe { ihuyi_receipt_code(h, out.ptr(null)) };
        verify(&ctx, "ihuyi_receipt_code", got, &expect);
        match expect {
            Ok(code) => assert_eq!(out.get("out_code"), code),
            Err(_) => out.untouched("out_code"),
        }
    }
    {
        let null = null_at(9);
        let expect = accessor_want(null, null_receipt).map(|()| want.delivered());
        let mut out = Out::<bool>::new();
        // SAFETY: as above.
        let got = unsafe { ihuyi_receipt_delivered(h, out.ptr(null)) };
        verify(&ctx, "ihuyi_receipt_delivered", got, &expect);
        match expect {
            Ok(delivered) => assert_eq!(out.get("out_delivered"), delivered),
            Err(_) => out.untouched("out_delivered"),
        }
    }

    // The de-duplicator, against the core's own: first true, then false for the same receipt
    // (and for the same push parsed again).
    let mut deduper: *mut IhuyiReceiptDeduper = sentinel();
    let null = null_at(10);
    // SAFETY: a valid out-pointer (or NULL).
    let got = unsafe { ihuyi_receipt_deduper_new(slot(&mut deduper, null)) };
    let expect = if null {
        Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT))
    } else {
        Ok(())
    };
    verify(&ctx, "ihuyi_receipt_deduper_new", got, &expect);
    if expect.is_ok() {
        let core = ihuyi::ReceiptDeduper::new();
        let mut second: *mut IhuyiReceipt = null_mut();
        if again {
            let (ptr, len) = body.ptr_len();
            // SAFETY: as above.
            let got = unsafe { ihuyi_receipt_parse(ptr, len, &mut second) };
            verify(&ctx, "ihuyi_receipt_parse (again)", got, &Ok(()));
        }
        for (i, r) in [handle, handle, second].into_iter().enumerate() {
            if r.is_null() {
                continue;
            }
            let null = null_at(11 + i as u32);
            let expect = if null {
                Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT))
            } else {
                Ok(core.first_seen(&want))
            };
            let mut out = Out::<bool>::new();
            // SAFETY: live handles, a valid out-pointer (or NULL).
            let got = unsafe { ihuyi_receipt_deduper_first_seen(deduper, r, out.ptr(null)) };
            verify(&ctx, "ihuyi_receipt_deduper_first_seen", got, &expect);
            match expect {
                Ok(first) => assert_eq!(out.get("out_first_seen"), first),
                Err(_) => out.untouched("out_first_seen"),
            }
        }
        // Handles of the wrong kind are not live handles of the kind asked for.
        let mut out = Out::<bool>::new();
        // SAFETY: the handles are only looked up, never dereferenced as given.
        let got =
            unsafe { ihuyi_receipt_deduper_first_seen(deduper, deduper.cast(), out.ptr(false)) };
        verify(
            &ctx,
            "first_seen(deduper as receipt)",
            got,
            &Err::<(), _>(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
        );
        // SAFETY: as above.
        let got =
            unsafe { ihuyi_receipt_deduper_first_seen(handle.cast(), handle, out.ptr(false)) };
        verify(
            &ctx,
            "first_seen(receipt as deduper)",
            got,
            &Err::<(), _>(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
        );
        out.untouched("out_first_seen");
        free_keeps_last_error(|| {
            ihuyi_receipt_free(second);
            ihuyi_receipt_deduper_free(deduper);
            ihuyi_receipt_deduper_free(deduper);
        });
        // SAFETY: a freed handle is looked up and refused.
        let got = unsafe { ihuyi_receipt_deduper_first_seen(deduper, handle, out.ptr(false)) };
        verify(
            &ctx,
            "first_seen(freed deduper)",
            got,
            &Err::<(), _>(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
        );
        out.untouched("out_first_seen");
    }

    ihuyi_receipt_free(handle);
    free_keeps_last_error(|| ihuyi_receipt_free(handle));
    let mut out = OutStr::new();
    // SAFETY: a freed handle is looked up and refused.
    let got = unsafe { ihuyi_receipt_id(handle, out.ptr(false)) };
    check_text(
        &ctx,
        "ihuyi_receipt_id(freed)",
        got,
        &Err(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
        &out,
    );
}

/// An accessor's first checks: its out-parameter, then its handle.
fn accessor_want(null_out: bool, null_handle: bool) -> Want<()> {
    if null_out || null_handle {
        Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT))
    } else {
        Ok(())
    }
}

/// A call that hands out one string: the status, then the string (or nothing written).
fn check_text(ctx: &Ctx, what: &str, got: S, want: &Want<String>, out: &OutStr) {
    verify(ctx, what, got, want);
    match want {
        Ok(value) => assert_eq!(&out.take(what), value, "{what}"),
        Err(_) => out.untouched(what),
    }
}

fn estimate(probe: Buf, args: [Arg<'_>; 4], null_out: bool, null_outs: u16, null_estimate: bool) {
    let [product, content, signature, rule] = args.map(CArg::new);
    let ctx = Ctx::new(probe);
    let want: Want<ihuyi::Estimate> = (|| {
        if null_out {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let product = product.product()?;
        let content = content.text()?;
        let signature = signature.opt_text()?;
        let rule = match rule.opt_text()? {
            None | Some("70/67") => SEGMENT_RULE_70_67,
            Some("70/66") => SEGMENT_RULE_70_66,
            Some(_) => return Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT)),
        };
        Ok(ihuyi::estimate_with_rule(product, content, signature, rule))
    })();
    let mut handle: *mut IhuyiEstimate = sentinel();
    // SAFETY: NUL-terminated strings or NULL; a valid out-pointer or NULL.
    let got = unsafe {
        ihuyi_estimate_new(
            product.ptr(),
            content.ptr(),
            signature.ptr(),
            rule.ptr(),
            slot(&mut handle, null_out),
        )
    };
    verify(&ctx, "ihuyi_estimate_new", got, &want);
    let Ok(want) = want else {
        assert_eq!(handle, sentinel(), "out_estimate written on error");
        free_keeps_last_error(|| ihuyi_estimate_free(null_mut()));
        return;
    };
    assert!(!handle.is_null() && handle != sentinel());
    let null_at = |i: u32| null_outs & (1 << i) != 0;
    let e: *const IhuyiEstimate = if null_estimate { null() } else { handle };

    fn number<T: Copy + PartialEq + std::fmt::Debug>(
        ctx: &Ctx,
        what: &str,
        null: bool,
        null_estimate: bool,
        value: T,
        call: impl FnOnce(*mut T) -> S,
    ) {
        let expect = accessor_want(null, null_estimate).map(|()| value);
        let mut out = Out::<T>::new();
        let got = call(out.ptr(null));
        verify(ctx, what, got, &expect);
        match expect {
            Ok(v) => assert_eq!(out.get(what), v, "{what}"),
            Err(_) => out.untouched(what),
        }
    }
    // SAFETY (each closure): a live handle or NULL, a valid out-pointer or NULL.
    number(
        &ctx,
        "ihuyi_estimate_characters",
        null_at(0),
        null_estimate,
        want.characters,
        |o| unsafe { ihuyi_estimate_characters(e, o) },
    );
    number(
        &ctx,
        "ihuyi_estimate_utf16_units",
        null_at(1),
        null_estimate,
        want.utf16_units,
        |o| unsafe { ihuyi_estimate_utf16_units(e, o) },
    );
    number(
        &ctx,
        "ihuyi_estimate_segments",
        null_at(2),
        null_estimate,
        want.segments,
        |o| unsafe { ihuyi_estimate_segments(e, o) },
    );
    number(
        &ctx,
        "ihuyi_estimate_acceptable",
        null_at(3),
        null_estimate,
        want.acceptable(),
        |o| unsafe { ihuyi_estimate_acceptable(e, o) },
    );
    number(
        &ctx,
        "ihuyi_estimate_signature_added",
        null_at(4),
        null_estimate,
        want.signature_added,
        |o| unsafe { ihuyi_estimate_signature_added(e, o) },
    );
    number(
        &ctx,
        "ihuyi_estimate_warning_count",
        null_at(5),
        null_estimate,
        want.warnings.len(),
        |o| unsafe { ihuyi_estimate_warning_count(e, o) },
    );
    {
        let mut out = OutStr::new();
        let expect = accessor_want(null_at(6), null_estimate).and_then(|()| c_text(&want.message));
        // SAFETY: as above.
        let got = unsafe { ihuyi_estimate_message(e, out.ptr(null_at(6))) };
        check_text(&ctx, "ihuyi_estimate_message", got, &expect, &out);
    }
    {
        let (null_name, null_single, null_multi) = (null_at(7), null_at(8), null_at(9));
        let expect: Want<SegmentRule> = accessor_want(null_name, null_estimate)
            .and_then(|()| want.rule.ok_or(Fail::status(IHUYI_ERR_NOT_FOUND)));
        let mut name = OutStr::new();
        let (mut single, mut multi) = (Out::<u32>::new(), Out::<u32>::new());
        // SAFETY: as above.
        let got = unsafe {
            ihuyi_estimate_rule(
                e,
                name.ptr(null_name),
                single.ptr(null_single),
                multi.ptr(null_multi),
            )
        };
        verify(&ctx, "ihuyi_estimate_rule", got, &expect);
        match expect {
            Ok(rule) => {
                assert_eq!(name.take("out_name"), rule.name);
                for (out, null, value) in [
                    (&single, null_single, rule.single),
                    (&multi, null_multi, rule.multi),
                ] {
                    if null {
                        out.untouched("NULL out_single/out_multi");
                    } else {
                        assert_eq!(out.get("out_single/out_multi") as usize, value);
                    }
                }
            }
            Err(_) => {
                name.untouched("out_name");
                single.untouched("out_single");
                multi.untouched("out_multi");
            }
        }
    }
    // Every warning, and one past the end.
    for index in 0..=want.warnings.len() {
        let (null_kind, null_code, null_message) = (null_at(10), null_at(11), null_at(12));
        let expect = accessor_want(null_kind, null_estimate).and_then(|()| {
            let w = want
                .warnings
                .get(index)
                .ok_or(Fail::status(IHUYI_ERR_NOT_FOUND))?;
            Ok((w.kind.as_str(), w.code.unwrap_or(-1), c_text(&w.message)?))
        });
        let (mut kind, mut message) = (OutStr::new(), OutStr::new());
        let mut code = Out::<i64>::new();
        // SAFETY: as above.
        let got = unsafe {
            ihuyi_estimate_warning(
                e,
                index,
                kind.ptr(null_kind),
                code.ptr(null_code),
                message.ptr(null_message),
            )
        };
        verify(&ctx, "ihuyi_estimate_warning", got, &expect);
        match expect {
            Ok((k, c, m)) => {
                assert_eq!(kind.take("out_kind"), k);
                if null_code {
                    code.untouched("NULL out_code");
                } else {
                    assert_eq!(code.get("out_code"), c);
                }
                if null_message {
                    message.untouched("NULL out_message");
                } else {
                    assert_eq!(message.take("out_message"), m);
                }
            }
            Err(_) => {
                kind.untouched("out_kind");
                code.untouched("out_code");
                message.untouched("out_message");
            }
        }
    }
    ihuyi_estimate_free(handle);
    free_keeps_last_error(|| ihuyi_estimate_free(handle));
    let mut out = Out::<usize>::new();
    // SAFETY: a freed handle is looked up and refused.
    let got = unsafe { ihuyi_estimate_characters(handle, out.ptr(false)) };
    verify(
        &ctx,
        "ihuyi_estimate_characters(freed)",
        got,
        &Err::<(), _>(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
    );
    out.untouched("out_characters");
}

/// `ihuyi_submit_password` (with `fields`: mobile and content) or `ihuyi_get_num_password`.
fn password(
    probe: Buf,
    account: Arg<'_>,
    apikey: Arg<'_>,
    fields: Option<(Arg<'_>, Arg<'_>)>,
    time: u64,
    buf: Buf,
) {
    let (account, apikey) = (CArg::new(account), CArg::new(apikey));
    let fields = fields.map(|(m, c)| (CArg::new(m), CArg::new(c)));
    let ctx = Ctx::new(probe);
    let len = buf.len as usize;
    let want: Want<String> = (|| {
        if buf.null {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let (a, k) = (account.text()?, apikey.text()?);
        let password = match &fields {
            Some((m, c)) => {
                let (m, c) = (m.text()?, c.text()?);
                ihuyi::sign::submit_password(a, k, m, c, time)
            }
            None => ihuyi::sign::get_num_password(a, k, time),
        };
        if len < 33 {
            return Err(Fail::status(IHUYI_ERR_BUFFER_TOO_SMALL));
        }
        Ok(password)
    })();
    let call = |apikey: &CArg| {
        // Exactly `len` bytes, so AddressSanitizer catches a write past the end.
        let mut out = vec![0xA5u8; len];
        let ptr: *mut c_char = if buf.null {
            null_mut()
        } else {
            out.as_mut_ptr().cast()
        };
        // SAFETY: NUL-terminated strings or NULL; `ptr` NULL or valid for `len` bytes.
        let (what, got) = unsafe {
            match &fields {
                Some((m, c)) => (
                    "ihuyi_submit_password",
                    ihuyi_submit_password(
                        account.ptr(),
                        apikey.ptr(),
                        m.ptr(),
                        c.ptr(),
                        time,
                        ptr,
                        len,
                    ),
                ),
                None => (
                    "ihuyi_get_num_password",
                    ihuyi_get_num_password(account.ptr(), apikey.ptr(), time, ptr, len),
                ),
            }
        };
        (what, got, out)
    };
    let (what, got, out) = call(&apikey);
    let message = verify(&ctx, what, got, &want);
    match want {
        Ok(password) => {
            assert_eq!(password.len(), 32);
            assert_eq!(&out[..32], password.as_bytes(), "{what}");
            assert_eq!(out[32], 0, "{what}: NUL-terminated");
            assert!(
                out[33..].iter().all(|&b| b == 0xA5),
                "{what}: wrote past the NUL"
            );
        }
        Err(_) => assert!(
            out.iter().all(|&b| b == 0xA5),
            "{what}: buf written on error"
        ),
    }
    no_key(what, &apikey, &message, |k| {
        call(k);
        last_message()
    });
}

/// The builder's settings as the check sees them, to build the same client with the core.
#[derive(Debug)]
struct Model {
    product: Product,
    account: String,
    apikey: String,
    base_url: Option<String>,
    format: Format,
    mode: PasswordMode,
    timeouts: Timeouts,
    max_idle: Option<usize>,
}

impl Model {
    fn build(&self) -> Want<()> {
        let mut b = ihuyi::Client::builder(self.product)
            .account(self.account.as_str())
            .apikey(ApiKey::new(self.apikey.as_str()))
            .format(self.format)
            .password_mode(self.mode)
            .timeouts(self.timeouts);
        if let Some(url) = &self.base_url {
            b = b.base_url(url.as_str());
        }
        if let Some(n) = self.max_idle {
            b = b.max_idle_connections(n);
        }
        b.build().map(drop).map_err(|e| Fail::core(&e))
    }

    /// The same settings with another key (only called with a key that was valid UTF-8).
    fn with_key(&self, key: &CArg) -> Model {
        Model {
            apikey: key.text().expect("rotating keeps UTF-8").to_owned(),
            base_url: self.base_url.clone(),
            account: self.account.clone(),
            ..*self
        }
    }
}

/// Builds a client (the core said it should build) and frees it, twice.
fn take_client(what: &str, client: *mut IhuyiClient) {
    assert!(
        !client.is_null() && client != sentinel(),
        "{what}: no client on success"
    );
    free_keeps_last_error(|| {
        ihuyi_client_free(client);
        ihuyi_client_free(client);
    });
}

fn builder(
    probe: Buf,
    product: Arg<'_>,
    account: Arg<'_>,
    apikey: Arg<'_>,
    null_out: bool,
    steps: &[Step<'_>],
) {
    let (product, account, apikey) = (CArg::new(product), CArg::new(account), CArg::new(apikey));
    let step_args: Vec<CArg> = steps
        .iter()
        .filter_map(|s| match s {
            Step::BaseUrl(a) | Step::Format(a) | Step::PasswordMode(a) => Some(CArg::new(*a)),
            _ => None,
        })
        .collect();
    let ctx = Ctx::new(probe);

    let want: Want<Model> = (|| {
        if null_out {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        Ok(Model {
            product: product.product()?,
            account: account.text()?.to_owned(),
            apikey: apikey.text()?.to_owned(),
            base_url: None,
            format: Format::Xml,
            mode: PasswordMode::Dynamic,
            timeouts: Timeouts::default(),
            max_idle: None,
        })
    })();
    let new = |apikey: &CArg| {
        let mut b: *mut IhuyiClientBuilder = sentinel();
        // SAFETY: NUL-terminated strings or NULL; a valid out-pointer or NULL.
        let got = unsafe {
            ihuyi_client_builder_new(
                product.ptr(),
                account.ptr(),
                apikey.ptr(),
                slot(&mut b, null_out),
            )
        };
        (got, b)
    };
    let (got, b) = new(&apikey);
    let message = verify(&ctx, "ihuyi_client_builder_new", got, &want);
    no_key("ihuyi_client_builder_new", &apikey, &message, |k| {
        let (_, other) = new(k);
        let message = last_message();
        if other != sentinel() {
            ihuyi_client_builder_free(other);
        }
        message
    });
    let Ok(mut model) = want else {
        assert_eq!(b, sentinel(), "out_builder written on error");
        return;
    };
    assert!(!b.is_null() && b != sentinel());
    let mut step_args = step_args.into_iter();
    for step in steps.iter().take(12) {
        match step {
            Step::BaseUrl(_) => {
                let url = step_args.next().expect("collected above");
                let want = url.opt_text().map(|u| u.map(str::to_owned));
                // SAFETY: a live builder; a NUL-terminated string or NULL.
                let got = unsafe { ihuyi_client_builder_set_base_url(b, url.ptr()) };
                verify(&ctx, "ihuyi_client_builder_set_base_url", got, &want);
                if let Ok(url) = want {
                    model.base_url = url;
                }
            }
            Step::Format(_) => {
                let name = step_args.next().expect("collected above");
                let want = name
                    .text()
                    .and_then(|n| match n.to_ascii_lowercase().as_str() {
                        "xml" => Ok(Format::Xml),
                        "json" => Ok(Format::Json),
                        _ => Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT)),
                    });
                // SAFETY: as above.
                let got = unsafe { ihuyi_client_builder_set_format(b, name.ptr()) };
                verify(&ctx, "ihuyi_client_builder_set_format", got, &want);
                if let Ok(format) = want {
                    model.format = format;
                }
            }
            Step::PasswordMode(_) => {
                let name = step_args.next().expect("collected above");
                let want = name
                    .text()
                    .and_then(|n| match n.to_ascii_lowercase().as_str() {
                        "dynamic" => Ok(PasswordMode::Dynamic),
                        "plain" => Ok(PasswordMode::Plain),
                        _ => Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT)),
                    });
                // SAFETY: as above.
                let got = unsafe { ihuyi_client_builder_set_password_mode(b, name.ptr()) };
                verify(&ctx, "ihuyi_client_builder_set_password_mode", got, &want);
                if let Ok(mode) = want {
                    model.mode = mode;
                }
            }
            Step::Timeouts(c, s, r) => {
                let got = ihuyi_client_builder_set_timeouts_ms(b, *c, *s, *r);
                verify(&ctx, "ihuyi_client_builder_set_timeouts_ms", got, &Ok(()));
                let ms = |v: u32| std::time::Duration::from_millis(v.into());
                model.timeouts = Timeouts {
                    connect: ms(*c),
                    send: ms(*s),
                    response: ms(*r),
                };
            }
            Step::MaxIdle(n) => {
                let want = if *n == 0 {
                    Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT))
                } else {
                    Ok(())
                };
                let got = ihuyi_client_builder_set_max_idle_connections(b, *n);
                verify(
                    &ctx,
                    "ihuyi_client_builder_set_max_idle_connections",
                    got,
                    &want,
                );
                if want.is_ok() {
                    model.max_idle = Some(*n as usize);
                }
            }
            Step::Strict(strict) => {
                let got = ihuyi_client_builder_set_strict_mobile(b, *strict);
                verify(&ctx, "ihuyi_client_builder_set_strict_mobile", got, &Ok(()));
            }
            Step::Guard(g) => frequency_guard(&ctx, b, g),
            Step::Build { null_out } => {
                let want = if *null_out {
                    Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT))
                } else {
                    model.build()
                };
                let mut client: *mut IhuyiClient = sentinel();
                // SAFETY: a live builder; a valid out-pointer or NULL.
                let got = unsafe { ihuyi_client_builder_build(b, slot(&mut client, *null_out)) };
                let message = verify(&ctx, "ihuyi_client_builder_build", got, &want);
                if *null_out {
                    // The C layer refuses the NULL out-pointer before the builder is read: its
                    // fixed text cannot carry the key, whatever letters they share (a key "g"
                    // is in "argument" by coincidence, and the core's rerun below, which never
                    // sees the out-pointer, would tell nothing).
                    assert_eq!(message, "argument `out_client` is NULL");
                } else {
                    // The message is the core's (checked by `verify`): the rerun is the core's too.
                    no_key("ihuyi_client_builder_build", &apikey, &message, |k| {
                        model
                            .with_key(k)
                            .build()
                            .err()
                            .and_then(|f| f.message)
                            .unwrap_or_default()
                    });
                }
                match want {
                    Ok(()) => take_client("ihuyi_client_builder_build", client),
                    Err(_) => assert_eq!(client, sentinel(), "out_client written on error"),
                }
            }
            Step::NullBuilder(which) => {
                let got = null_builder_setter(*which, null_mut());
                verify(
                    &ctx,
                    "a setter with a NULL builder",
                    got,
                    &Err::<(), _>(Fail::status(IHUYI_ERR_NULL_ARGUMENT)),
                );
            }
        }
    }
    // A last build, then the builder freed: it is refused afterwards.
    let mut client: *mut IhuyiClient = sentinel();
    let want = model.build();
    // SAFETY: a live builder and a valid out-pointer.
    let got = unsafe { ihuyi_client_builder_build(b, &mut client) };
    let message = verify(&ctx, "ihuyi_client_builder_build", got, &want);
    no_key("ihuyi_client_builder_build", &apikey, &message, |k| {
        model
            .with_key(k)
            .build()
            .err()
            .and_then(|f| f.message)
            .unwrap_or_default()
    });
    if want.is_ok() {
        take_client("ihuyi_client_builder_build", client);
    }
    free_keeps_last_error(|| {
        ihuyi_client_builder_free(b);
        ihuyi_client_builder_free(b);
    });
    let got = null_builder_setter(steps.len() as u8, b);
    verify(
        &ctx,
        "a setter on a freed builder",
        got,
        &Err::<(), _>(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
    );
    let mut client: *mut IhuyiClient = sentinel();
    // SAFETY: a freed builder is looked up and refused.
    let got = unsafe { ihuyi_client_builder_build(b, &mut client) };
    verify(
        &ctx,
        "ihuyi_client_builder_build(freed)",
        got,
        &Err::<(), _>(Fail::status(IHUYI_ERR_INVALID_HANDLE)),
    );
    assert_eq!(client, sentinel());
}

/// Setter `which` with plain valid arguments on `b` (NULL or freed: refused).
fn null_builder_setter(which: u8, b: *mut IhuyiClientBuilder) -> S {
    // SAFETY: static NUL-terminated strings; the builder is only looked up.
    unsafe {
        match which % 7 {
            0 => ihuyi_client_builder_set_base_url(b, c"http://127.0.0.1:1".as_ptr()),
            1 => ihuyi_client_builder_set_format(b, c"json".as_ptr()),
            2 => ihuyi_client_builder_set_password_mode(b, c"plain".as_ptr()),
            3 => ihuyi_client_builder_set_timeouts_ms(b, 1, 1, 1),
            4 => ihuyi_client_builder_set_max_idle_connections(b, 1),
            5 => ihuyi_client_builder_set_strict_mobile(b, true),
            _ => ihuyi_client_builder_set_frequency_guard(b, null()),
        }
    }
}

/// `ihuyi_frequency_guard_new` with any limits, then given to the builder (or NULL, or freed).
fn frequency_guard(ctx: &Ctx, b: *mut IhuyiClientBuilder, g: &GuardChoice) {
    let limit = |v: i64| {
        if v > i64::from(u32::MAX) {
            Err(Fail::status(IHUYI_ERR_INVALID_ARGUMENT))
        } else {
            Ok(())
        }
    };
    let want: Want<()> = (|| {
        if g.null_out {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        limit(g.per_second)?;
        limit(g.per_day)?;
        limit(g.codes_per_day)
    })();
    let mut guard: *mut IhuyiFrequencyGuard = sentinel();
    // SAFETY: a valid out-pointer or NULL.
    let got = unsafe {
        ihuyi_frequency_guard_new(
            g.per_second,
            g.per_day,
            g.codes_per_day,
            slot(&mut guard, g.null_out),
        )
    };
    verify(ctx, "ihuyi_frequency_guard_new", got, &want);
    if want.is_err() {
        assert_eq!(guard, sentinel(), "out_guard written on error");
        return;
    }
    assert!(!guard.is_null() && guard != sentinel());
    if g.freed {
        ihuyi_frequency_guard_free(guard);
    }
    let (arg, want) = match (g.null, g.freed) {
        (true, _) => (null_mut(), Ok(())),
        (false, true) => (guard, Err(Fail::status(IHUYI_ERR_INVALID_HANDLE))),
        (false, false) => (guard, Ok(())),
    };
    let got = ihuyi_client_builder_set_frequency_guard(b, arg);
    verify(ctx, "ihuyi_client_builder_set_frequency_guard", got, &want);
    // The builder keeps its own reference: freeing the guard now is allowed.
    free_keeps_last_error(|| ihuyi_frequency_guard_free(guard));
}

fn client_new(
    probe: Buf,
    product: Arg<'_>,
    account: Arg<'_>,
    apikey: Arg<'_>,
    base_url: Arg<'_>,
    null_out: bool,
) {
    let [product, account, apikey, base_url] = [product, account, apikey, base_url].map(CArg::new);
    let ctx = Ctx::new(probe);
    let want: Want<()> = (|| {
        if null_out {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let (product, account, apikey, base_url) = (
            product.product()?,
            account.text()?,
            apikey.text()?,
            base_url.opt_text()?,
        );
        let mut b = ihuyi::Client::builder(product)
            .account(account)
            .apikey(apikey);
        if let Some(url) = base_url {
            b = b.base_url(url);
        }
        b.build().map(drop).map_err(|e| Fail::core(&e))
    })();
    let new = |apikey: &CArg| {
        let mut client: *mut IhuyiClient = sentinel();
        // SAFETY: NUL-terminated strings or NULL; a valid out-pointer or NULL.
        let got = unsafe {
            ihuyi_client_new(
                product.ptr(),
                account.ptr(),
                apikey.ptr(),
                base_url.ptr(),
                slot(&mut client, null_out),
            )
        };
        (got, client)
    };
    let (got, client) = new(&apikey);
    let message = verify(&ctx, "ihuyi_client_new", got, &want);
    match want {
        Ok(()) => take_client("ihuyi_client_new", client),
        Err(_) => assert_eq!(client, sentinel(), "out_client written on error"),
    }
    no_key("ihuyi_client_new", &apikey, &message, |k| {
        let (_, other) = new(k);
        let message = last_message();
        if other != sentinel() {
            ihuyi_client_free(other);
        }
        message
    });
}

fn normalize(probe: Buf, product: Arg<'_>, input: Arg<'_>, null_out: bool) {
    let (product, input) = (CArg::new(product), CArg::new(input));
    let ctx = Ctx::new(probe);
    let want: Want<String> = (|| {
        if null_out {
            return Err(Fail::status(IHUYI_ERR_NULL_ARGUMENT));
        }
        let (product, input) = (product.product()?, input.text()?);
        let mobile = ihuyi::normalize_mobile(product, input).map_err(|e| Fail::core(&e))?;
        c_text(&mobile)
    })();
    let mut out = OutStr::new();
    // SAFETY: NUL-terminated strings or NULL; a valid out-pointer or NULL.
    let got = unsafe { ihuyi_normalize_mobile(product.ptr(), input.ptr(), out.ptr(null_out)) };
    check_text(&ctx, "ihuyi_normalize_mobile", got, &want, &out);
}
