//! `ihuyi estimate`, as a user runs it.
#![cfg(feature = "cli")]

use std::process::Command;

use serde_json::Value;

fn ihuyi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ihuyi"))
        .args(args)
        .env_remove("IHUYI_APIKEY")
        .output()
        .expect("ihuyi runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn one_message_as_text_and_json() {
    let content = "您的验证码是:1234。请不要把验证码泄露给其他人。";
    let (code, out, _) = ihuyi(&["estimate", "--content", content, "--signature", "互亿无线"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("characters: 32"), "{out}");
    assert!(out.contains("segments: 1 (rule 70/67"), "{out}");

    let long = format!("{}【互亿无线】", "验".repeat(130)); // 136 characters
    let (code, out, _) = ihuyi(&["estimate", "--content", &long, "--output", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["characters"], 136);
    assert_eq!(v["segments"], 3);
    assert_eq!(v["rule"]["name"], "70/67");
    assert_eq!(v["acceptable"], true);
    let (_, out, _) = ihuyi(&[
        "estimate",
        "--content",
        &long,
        "--rule",
        "70/66",
        "--output",
        "json",
    ]);
    assert_eq!(json(&out)["segments"], 3);
}

#[test]
fn refusals_exit_2_with_their_codes() {
    let (code, out, _) = ihuyi(&["estimate", "--content", "验证码1234😀", "--output", "json"]);
    assert_eq!(code, 2);
    let v = json(&out);
    let codes: Vec<i64> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_i64())
        .collect();
    assert_eq!(codes, [4074, 4070]);
    let (code, out, _) = ihuyi(&["estimate", "--product", "voice", "--content", "12"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("refused 4070 (语音验证码内容必须为4-6位数字)"),
        "{out}"
    );
}

#[test]
fn a_csv_file_is_totalled() {
    let dir = std::env::temp_dir().join(format!("ihuyi-estimate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bulk.csv");
    let long_name = "长".repeat(60);
    std::fs::write(
        &path,
        format!("mobile,name,code\n13800138000,王,1234\n13900139000,\"Li, Lei\",5678\n13700137000,{long_name},9012\n13600136000,😀,3456\n"),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let template = "{name}您好,您的验证码是{code}。【互亿无线】";
    let (code, out, _) = ihuyi(&[
        "estimate",
        "--csv",
        path,
        "--content",
        template,
        "--output",
        "json",
    ]);
    assert_eq!(code, 2, "the emoji row would be refused");
    let v = json(&out);
    assert_eq!(v["rows"], 4);
    // The template is 20 characters besides {name}: 王 21; "Li, Lei" 27; 60×长 80 (2 segments);
    // 😀 21.
    assert_eq!(v["characters"], 21 + 27 + 80 + 21);
    assert_eq!(v["segments"], 5);
    assert_eq!(v["by_segments"]["2"], 1);
    assert_eq!(v["refused_rows"], 1);
    assert_eq!(v["warnings"][0]["line"], 5);
    assert_eq!(v["warnings"][0]["code"], 4074);

    let (code, _, err) = ihuyi(&["estimate", "--csv", path, "--content", "{nope}"]);
    assert_eq!(code, 2);
    assert!(err.contains("{nope}"), "{err}");
    let (code, out, _) = ihuyi(&[
        "estimate",
        "--csv",
        path,
        "--column",
        "code",
        "--product",
        "voice",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("rows: 4") && out.contains("segments: 4"),
        "{out}"
    );
    let (code, _, err) = ihuyi(&["estimate", "--csv", "/nonexistent/x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn send_normalizes_the_number_typed() {
    let (code, out, err) = ihuyi(&[
        "send",
        "--sandbox",
        "--output",
        "json",
        "--mobile",
        "+86 138-0013-8000",
        "--content",
        "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["ok"], true);
}
