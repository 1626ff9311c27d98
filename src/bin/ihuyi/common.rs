//! Flags shared by `send` and `balance`, and building a client from them.

use std::time::Duration;

use clap::{Args, ValueEnum};
use ihuyi::sandbox::Sandbox;
use ihuyi::{Client, Error, Format, PasswordMode, Product, Timeouts};

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ProductArg {
    Sms,
    Voice,
    Isms,
}

impl From<ProductArg> for Product {
    fn from(p: ProductArg) -> Product {
        match p {
            ProductArg::Sms => Product::Sms,
            ProductArg::Voice => Product::Voice,
            ProductArg::Isms => Product::Isms,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Xml,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputArg {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct CommonArgs {
    /// Which product: domestic SMS, voice code or international SMS.
    #[arg(long, value_enum, default_value = "sms")]
    pub product: ProductArg,
    /// The product's APIID.
    #[arg(long, env = "IHUYI_ACCOUNT")]
    pub account: Option<String>,
    /// The product's APIKEY (prefer the environment variable: command lines are visible to
    /// other users of the machine).
    #[arg(long, env = "IHUYI_APIKEY", hide_env_values = true)]
    pub apikey: Option<String>,
    /// Replace the vendor's origin: scheme://host[:port].
    #[arg(long, env = "IHUYI_BASE_URL")]
    pub base_url: Option<String>,
    /// The answer format asked of the server.
    #[arg(long, value_enum, default_value = "xml")]
    pub format: FormatArg,
    /// Send the APIKEY itself instead of the dynamic MD5 password.
    #[arg(long)]
    pub plain_password: bool,
    /// Timeout of each phase (connect, send, answer), in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// How results are printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub output: OutputArg,
    /// Start an in-process sandbox and use its default account (no setup, nothing real sent).
    #[arg(long)]
    pub sandbox: bool,
}

impl CommonArgs {
    pub fn product(&self) -> Product {
        self.product.into()
    }

    /// Builds the client, starting the in-process sandbox first when asked. The sandbox is
    /// returned so it lives as long as the client is used.
    pub fn client(&self) -> Result<(Client, Option<Sandbox>), Error> {
        let product = self.product();
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 3600.0) {
            return Err(validation(
                "timeout",
                "must be a number of seconds in (0, 3600]",
            ));
        }
        let mut builder = Client::builder(product)
            .timeouts(Timeouts::uniform(Duration::from_secs_f64(self.timeout)))
            .format(match self.format {
                FormatArg::Xml => Format::Xml,
                FormatArg::Json => Format::Json,
            })
            .password_mode(if self.plain_password {
                PasswordMode::Plain
            } else {
                PasswordMode::Dynamic
            });
        let sandbox = if self.sandbox {
            let sandbox = Sandbox::start_default()
                .map_err(|e| validation("sandbox", &format!("could not start: {e}")))?;
            let account = sandbox.account(product);
            eprintln!(
                "sandbox listening at {} (account {})",
                sandbox.base_url(),
                account.account
            );
            builder = builder
                .account(account.account)
                .apikey(account.apikey)
                .base_url(sandbox.base_url());
            Some(sandbox)
        } else {
            if let Some(account) = &self.account {
                builder = builder.account(account.as_str());
            }
            if let Some(apikey) = &self.apikey {
                builder = builder.apikey(apikey.as_str());
            }
            if let Some(base_url) = &self.base_url {
                builder = builder.base_url(base_url.as_str());
            }
            None
        };
        Ok((builder.build()?, sandbox))
    }
}

fn validation(field: &'static str, message: &str) -> Error {
    Error::Validation(ihuyi::ValidationError {
        field,
        message: message.to_owned(),
    })
}
