//! `ihuyi send` and `ihuyi balance`.

use clap::Args;
use serde_json::json;

use crate::common::CommonArgs;
use crate::output;

#[derive(Args, Debug)]
pub struct SendArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The recipient: 11 digits for sms/voice, "<country code> <number>" for isms.
    #[arg(long)]
    pub mobile: String,
    /// The message text (sms/isms) or the 4-6 digit code (voice).
    #[arg(long)]
    pub content: String,
}

#[derive(Args, Debug)]
pub struct BalanceArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run_send(args: SendArgs) -> i32 {
    let common = &args.common;
    let product = common.product();
    let empty = json!({ "id": null });
    let (client, _sandbox) = match common.client() {
        Ok(pair) => pair,
        Err(e) => return output::failure(common.output, product, &e, empty),
    };
    match client.send(&args.mobile, &args.content) {
        Ok(sent) => output::success(
            common.output,
            product,
            json!({ "code": sent.code, "msg": sent.msg, "id": sent.id }),
            &sent.id,
            &format!("accepted: {product} id {} ({})", sent.id, sent.msg),
        ),
        Err(e) => output::failure(common.output, product, &e, empty),
    }
}

pub fn run_balance(args: BalanceArgs) -> i32 {
    let common = &args.common;
    let product = common.product();
    let empty = json!({ "num": null });
    let (client, _sandbox) = match common.client() {
        Ok(pair) => pair,
        Err(e) => return output::failure(common.output, product, &e, empty),
    };
    match client.balance() {
        Ok(balance) => output::success(
            common.output,
            product,
            json!({ "code": balance.code, "msg": balance.msg, "num": balance.num }),
            &balance.num.to_string(),
            &format!("{product} balance: {} ({})", balance.num, balance.msg),
        ),
        Err(e) => output::failure(common.output, product, &e, empty),
    }
}
