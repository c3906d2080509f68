#!/usr/bin/env python3
"""A real SMTP server on loopback for the browser tests.

Accepts every message and writes it, decoded, as one JSON file per message
(from, to, subject, text, html, attachments) into a folder the Playwright tests
read. Plain SMTP (no TLS, no AUTH), as lettre speaks it with
smtp_security = "none".

    scripts/smtp_sink.py PORT FOLDER
"""
import asyncio
import email
import email.policy
import json
import pathlib
import sys

counter = 0


def decode(raw: bytes, sender: str, recipients: list) -> dict:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found = {"from": sender, "to": recipients, "subject": str(message.get("subject", "")),
             "text": "", "html": "", "attachments": []}
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = part.get_filename()
        body = part.get_content()
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        if filename or content_type == "text/calendar":
            found["attachments"].append({"filename": filename or "", "type": content_type, "body": body})
        elif content_type == "text/plain" and not found["text"]:
            found["text"] = body
        elif content_type == "text/html" and not found["html"]:
            found["html"] = body
    return found


async def session(reader, writer, folder: pathlib.Path):
    global counter

    def reply(line: str):
        writer.write((line + "\r\n").encode())

    reply("220 localhost reservo-test-sink")
    sender, recipients = "", []
    while True:
        line = await reader.readline()
        if not line:
            break
        command = line.decode("utf-8", "replace").rstrip("\r\n")
        verb = command[:4].upper()
        if verb in ("EHLO", "HELO"):
            reply("250-localhost" if verb == "EHLO" else "250 localhost")
            if verb == "EHLO":
                reply("250-8BITMIME")
                reply("250 SMTPUTF8")
        elif verb == "MAIL":
            sender, recipients = command.split(":", 1)[1].split()[0].strip("<>"), []
            reply("250 OK")
        elif verb == "RCPT":
            recipients.append(command.split(":", 1)[1].split()[0].strip("<>"))
            reply("250 OK")
        elif verb == "DATA":
            reply("354 end with <CRLF>.<CRLF>")
            await writer.drain()
            lines = []
            while True:
                data = await reader.readline()
                if data in (b".\r\n", b".\n", b""):
                    break
                lines.append(data[1:] if data.startswith(b"..") else data)
            counter += 1
            found = decode(b"".join(lines), sender, recipients)
            path = folder / f"{counter:05d}.json"
            path.with_suffix(".tmp").write_text(json.dumps(found, ensure_ascii=False))
            path.with_suffix(".tmp").rename(path)
            reply("250 OK queued")
        elif verb in ("RSET", "NOOP"):
            reply("250 OK")
        elif verb == "QUIT":
            reply("221 bye")
            await writer.drain()
            break
        else:
            reply("502 command not implemented")
        await writer.drain()
    writer.close()


async def main():
    port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    server = await asyncio.start_server(lambda r, w: session(r, w, folder), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
