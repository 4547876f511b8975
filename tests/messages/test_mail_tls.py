"""Mail with a login goes over STARTTLS, to a real SMTP server (aiosmtpd) that requires it, with a
certificate of the union's own CA (``HUODONG_MAIL_CA_FILE``); a wrong password fails with the server's
answer; a server that offers no STARTTLS never sees the password."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.messages import send
from core.messages.models import Delivery
from tests.messages.conftest import Mailbox, deliver, free_port, mail_ready


def _certificates(folder):
    """A CA and a certificate it signed for 127.0.0.1: the CA's PEM file, the server's cert and key files."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "工会测试 CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


class TlsMailbox(Mailbox):
    def __init__(self):
        super().__init__()
        self.logins: list[tuple[str, bool]] = []

    async def handle_DATA(self, server, session, envelope):
        self.logins.append((session.authenticated, session.ssl is not None))
        return await super().handle_DATA(server, session, envelope)


def _authenticator(server, session, envelope, mechanism, auth_data):
    # handled=False: aiosmtpd answers a refusal with 535 itself (its default, handled=True, answers nothing)
    return AuthResult(success=auth_data.login == b"union" and auth_data.password == b"s3cret", handled=False)


@pytest.fixture
def tls_server(tmp_path):
    ca, cert, key = _certificates(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = TlsMailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, auth_required=True, authenticator=_authenticator)
    controller.start()
    yield controller, box, ca
    controller.stop()


@pytest.fixture
def member(factory):
    school = factory.school()
    member = factory.member(school["g1"], name="吴安")
    mail_ready(member, "wu@example.com")
    return member, factory.event(school["school"], title="安全讲座")


def test_login_over_starttls_with_the_unions_own_ca(app, tls_server, member):
    controller, box, ca = tls_server
    app.config.update(MAIL_URL=f"smtp://union:s3cret@127.0.0.1:{controller.port}", MAIL_CA_FILE=str(ca))
    person, event = member
    send(person, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="tls", group=False)
    lines = deliver()
    assert lines[0].startswith("已发送"), lines
    assert [m["To"] for m in box.mails] == ["wu@example.com"]
    assert box.logins == [(True, True)]  # logged in, over TLS


def test_a_wrong_password_fails_with_the_servers_answer(app, tls_server, member):
    controller, box, ca = tls_server
    app.config.update(MAIL_URL=f"smtp://union:wrong@127.0.0.1:{controller.port}", MAIL_CA_FILE=str(ca))
    person, event = member
    send(person, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="tls-bad", group=False)
    deliver()
    delivery = Delivery.get()
    assert delivery.status == "queued" and delivery.last_error.startswith("邮件服务器拒绝登录：535")
    assert box.mails == []


def test_an_unknown_certificate_is_refused(app, tls_server, member):
    controller, box, _ca = tls_server
    app.config.update(MAIL_URL=f"smtp://union:s3cret@127.0.0.1:{controller.port}", MAIL_CA_FILE="")
    person, event = member
    send(person, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="tls-ca", group=False)
    deliver()
    delivery = Delivery.get()
    assert delivery.status == "queued" and "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
    assert box.mails == []


def test_no_password_without_starttls(app, smtp_server, member, mailbox):
    app.config.update(MAIL_URL=f"smtp://union:s3cret@127.0.0.1:{smtp_server.port}")  # offers no STARTTLS
    person, event = member
    send(person, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="plain", group=False)
    deliver()
    delivery = Delivery.get()
    assert delivery.status == "queued" and "不支持 STARTTLS，拒绝以明文发送密码" in delivery.last_error
    assert mailbox.mails == []
