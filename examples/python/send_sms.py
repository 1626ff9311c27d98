"""Send one verification code with the ihuyi Python SDK and handle every outcome.

By default it runs against ihuyi.Sandbox, a local ihuyi server started inside this process, so
it needs no account and sends nothing real:

    python examples/python/send_sms.py [MOBILE] [CODE]

With --live it uses the real platform, with IHUYI_ACCOUNT and IHUYI_APIKEY from the
environment:

    IHUYI_ACCOUNT=C12345678 IHUYI_APIKEY=... python examples/python/send_sms.py --live 13800138000 1234
"""

from __future__ import annotations

import argparse
import contextlib
import sys

import ihuyi


def send_code(client: ihuyi.Client, mobile: str, code: str) -> int:
    """Sends the code; returns a process exit status."""
    content = f"您的验证码是:{code}。请不要把验证码泄露给其他人。【互亿无线】"
    try:
        sent = client.send(mobile, content)
    except ihuyi.ValidationError as e:
        print(f"not sent, fix the {e.field}: {e}", file=sys.stderr)
        return 2
    except ihuyi.ApiError as e:
        # e.kind says what to do: "auth" (credentials), "balance" (top up), "content", ...
        print(f"refused with code {e.code} ({e.kind}): {e.msg}", file=sys.stderr)
        return 1
    except ihuyi.UnreachableError as e:
        print(f"platform unreachable, nothing was sent (safe to retry later): {e}", file=sys.stderr)
        return 1
    except ihuyi.OutcomeUnknownError as e:
        # Never resend blindly: the user may already have the code.
        print(f"the code may or may not have been sent ({e.reason}): {e}", file=sys.stderr)
        return 1
    print(f"sent to {mobile}: message id {sent.id} ({sent.msg})")
    print(f"balance left: {client.balance()}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mobile", nargs="?", default="13800138000")
    parser.add_argument("code", nargs="?", default="1234")
    parser.add_argument("--live", action="store_true", help="use the real platform (IHUYI_ACCOUNT/IHUYI_APIKEY)")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        if args.live:
            client = ihuyi.Client("sms")
        else:
            sandbox = stack.enter_context(ihuyi.Sandbox())
            print(f"sandbox at {sandbox.base_url}")
            client = sandbox.client("sms")
        status = send_code(client, args.mobile, args.code)
        if not args.live:
            # What the platform received; the log shows the password only as its length.
            for request in sandbox.requests():
                print(f"sandbox saw {request.method} from {request.field('account')}: code {request.code}")
        return status


if __name__ == "__main__":
    sys.exit(main())
