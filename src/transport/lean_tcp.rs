//! A TCP transport for ureq that does the least work per request on a kept-alive connection.
//!
//! ureq's own `TcpTransport` spends about 12 system calls on each pooled send: the request head and
//! body in two writes, four `ioctl`s and two reads for its liveness probe, and a `setsockopt` for
//! every change of the remaining timeout. This one spends three: the request is written in one
//! `write` (output is held until the first read), the liveness probe is one non-blocking
//! `recv(MSG_PEEK)`, and socket timeouts are set only when the remaining budget differs by more
//! than a tenth from what is set (so a read may overrun its phase's deadline by at most 10 %).
//! Reading, HTTP framing and TLS stay ureq's.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::Timeout;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

/// Output held back beyond this is written at once rather than with the next read.
const MAX_HELD_OUTPUT: usize = 64 * 1024;

/// Opens plain TCP connections (a chained proxy connection passes through untouched).
#[derive(Debug, Default)]
pub(crate) struct LeanTcpConnector;

impl<In: Transport> Connector<In> for LeanTcpConnector {
    type Out = Either<In, LeanTcpTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if chained.is_some() {
            return Ok(chained.map(Either::A));
        }
        let stream = connect_any(details.addrs.iter().copied(), budget(details.timeout))?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let stream = Arc::new(stream);
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(LeanTcpTransport {
            stream,
            buffers,
            held: Vec::new(),
            held_reason: Timeout::SendRequest,
            read_timeout: None,
            write_timeout: None,
        })))
    }
}

fn budget(timeout: NextTimeout) -> Option<Duration> {
    (!timeout.after.is_not_happening()).then_some(*timeout.after)
}

/// Tries each resolved address within the connect budget, moving on from addresses that refuse
/// or cannot be routed (an AAAA record on a host without IPv6, say).
fn connect_any(
    addrs: impl Iterator<Item = SocketAddr>,
    budget: Option<Duration>,
) -> Result<TcpStream, ureq::Error> {
    let started = Instant::now();
    let mut last = None;
    for addr in addrs {
        let attempt = match budget {
            Some(total) => {
                let left = total.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err(ureq::Error::Timeout(Timeout::Connect));
                }
                TcpStream::connect_timeout(&addr, left)
            }
            None => TcpStream::connect(addr),
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                return Err(ureq::Error::Timeout(Timeout::Connect));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::HostUnreachable
                        | io::ErrorKind::NetworkUnreachable
                        | io::ErrorKind::NetworkDown
                        | io::ErrorKind::AddrNotAvailable
                ) =>
            {
                last = Some(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(last
        .unwrap_or_else(|| {
            io::Error::new(io::ErrorKind::ConnectionRefused, "no address to connect to")
        })
        .into())
}

/// One kept-alive TCP connection.
pub(crate) struct LeanTcpTransport {
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    /// Output not written yet: the request head waits here for its body.
    held: Vec<u8>,
    /// The phase reported if writing the held output times out.
    held_reason: Timeout,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl std::fmt::Debug for LeanTcpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeanTcpTransport")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// Sets a socket timeout only when the wanted one differs by more than a tenth from the one set.
fn keep_timeout(
    current: &mut Option<Duration>,
    wanted: Option<Duration>,
    set: impl FnOnce(Option<Duration>) -> io::Result<()>,
) -> io::Result<()> {
    let close_enough = match (*current, wanted) {
        (Some(now), Some(want)) => want <= now && want >= now.mul_f64(0.9),
        (now, want) => now == want,
    };
    if !close_enough {
        set(wanted)?;
        *current = wanted;
    }
    Ok(())
}

fn left(timeout: NextTimeout) -> Result<Option<Duration>, ureq::Error> {
    if timeout.after.is_not_happening() {
        return Ok(None);
    }
    if timeout.after.is_zero() {
        return Err(ureq::Error::Timeout(timeout.reason));
    }
    Ok(Some(*timeout.after))
}

fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl LeanTcpTransport {
    fn write_held(&mut self) -> Result<(), ureq::Error> {
        if self.held.is_empty() {
            return Ok(());
        }
        let result = (&*self.stream).write_all(&self.held);
        self.held.clear();
        match result {
            Ok(()) => Ok(()),
            Err(e) if timed_out(&e) => Err(ureq::Error::Timeout(self.held_reason)),
            Err(e) => Err(e.into()),
        }
    }
}

impl Transport for LeanTcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = timeout.for_write();
        let limit = left(timeout)?;
        let stream = &self.stream;
        keep_timeout(&mut self.write_timeout, limit, |t| {
            stream.set_write_timeout(t)
        })?;
        self.held
            .extend_from_slice(&self.buffers.output()[..amount]);
        self.held_reason = timeout.reason;
        if self.held.len() >= MAX_HELD_OUTPUT {
            self.write_held()?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        // ureq always reads after it has written a whole request: that is when it goes out.
        self.write_held()?;
        let timeout = timeout.for_read();
        let limit = left(timeout)?;
        let stream = &self.stream;
        keep_timeout(&mut self.read_timeout, limit, |t| {
            stream.set_read_timeout(t)
        })?;
        let input = self.buffers.input_append_buf();
        let amount = loop {
            match (&*self.stream).read(input) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if timed_out(&e) => return Err(ureq::Error::Timeout(timeout.reason)),
                Err(e) => return Err(e.into()),
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        if !self.held.is_empty() {
            return false;
        }
        let mut byte = 0u8;
        // SAFETY: a one-byte buffer we own, a socket we own; MSG_DONTWAIT makes it non-blocking
        // for this call only and MSG_PEEK leaves any byte in the socket.
        let n = unsafe {
            libc::recv(
                self.stream.as_raw_fd(),
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        // Open means nothing to read yet: EOF, stray bytes or an error all retire the connection.
        n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
    }
}
