"""Security checks over a generated project: secrets, cleartext traffic, token storage, logging, forms, permissions."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from chalicelib.flutter import dart_parser as dart
from chalicelib.pipeline.context import Finding

_SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("secret.aws_key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "AWS access key id"),
    ("secret.api_key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"), "API secret key (sk-...)"),
    ("secret.api_key", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"), "GitHub token"),
    ("secret.api_key", re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"), "Slack token"),
    ("secret.api_key", re.compile(r"\bsk_live_[A-Za-z0-9]{16,}"), "Stripe secret key"),
    ("secret.private_key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"), "private key"),
)
_SENSITIVE_NAME = r"\w*(?:password|passwd|pwd|secret|token|api_?key|apikey|private_?key|access_?key|credential)\w*"
_ASSIGNED_LITERAL = re.compile(rf"(?i)\b({_SENSITIVE_NAME})\b['\"]?\s*[=:]\s*r?(['\"])([^'\"\n$]*)\2")
_NOT_A_VALUE_NAME = ("label", "hint", "text", "field", "controller", "error", "message", "title")
_PASSWORD_NAME = re.compile(r"(?i)pass(word|wd)?|pwd")
_CLEARTEXT = re.compile(r"['\"](http://[^'\"\s]*)")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "10.0.2.2", "0.0.0.0")
_PREFS_WRITE = re.compile(
    r"\.set(?:String|StringList)\(\s*['\"]?([\w.$]*(?:token|password|secret|jwt|session|credential|api_?key)[\w.]*)",
    re.IGNORECASE,
)
_LOG_CALLS = {"print", "debugPrint", "log", "d", "i", "w", "e", "v", "info", "debug", "warning", "fine"}
_CREDENTIAL_WORD = re.compile(r"(?i)password|passwd|token|secret|api_?key|credential")


@dataclass(frozen=True)
class Permission:
    """A device permission: the packages or calls that use it and the words that declare it in the notes."""

    name: str
    packages: tuple[str, ...]
    code_markers: tuple[str, ...]
    note_words: tuple[str, ...]


PERMISSIONS = (
    Permission("camera", ("camera", "mobile_scanner", "qr_code_scanner"), ("ImageSource.camera",),
               ("camera", "NSCameraUsageDescription", "android.permission.CAMERA")),
    Permission("location", ("geolocator", "location", "geocoding"), ("myLocationEnabled: true",),
               ("location", "NSLocationWhenInUseUsageDescription", "ACCESS_FINE_LOCATION")),
    Permission("notifications", ("flutter_local_notifications", "firebase_messaging", "awesome_notifications"), (),
               ("notification", "POST_NOTIFICATIONS")),
    Permission("microphone", ("record", "speech_to_text"), (),
               ("microphone", "NSMicrophoneUsageDescription", "RECORD_AUDIO")),
    Permission("contacts", ("flutter_contacts", "contacts_service"), (),
               ("contacts", "NSContactsUsageDescription", "READ_CONTACTS")),
)


def shannon_entropy(value: str) -> float:
    """Bits per character: random keys score high (above ~3.5), words and sentences low."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _looks_random(value: str) -> bool:
    """Whether a literal looks like a generated key rather than a label or a placeholder."""
    return len(value) >= 16 and " " not in value and shannon_entropy(value) >= 3.5


def _secret_findings(path: str, source: str) -> list[Finding]:
    """Hard-coded keys and credentials: known key formats, password literals, random strings in key-named fields.

    A password literal in a test is a fixture, not a leaked credential: a warning there.
    """
    findings: list[Finding] = []
    password_severity = "warning" if path.startswith(("test/", "integration_test/")) else "high"
    for number, line in enumerate(source.splitlines(), start=1):
        known = [(rule, label) for rule, pattern, label in _SECRET_PATTERNS if pattern.search(line)]
        findings += [Finding(rule, f"hard-coded {label}", "high", path, number) for rule, label in known]
        if known:
            continue
        for name, _, value in _ASSIGNED_LITERAL.findall(line):
            if not value:
                continue
            if name.lower().endswith(_NOT_A_VALUE_NAME):
                continue
            if _PASSWORD_NAME.search(name):
                findings.append(Finding("secret.password_literal", f"password literal assigned to {name}",
                                        password_severity, path, number))
            elif _looks_random(value):
                findings.append(Finding("secret.high_entropy", f"key-like literal assigned to {name}",
                                        "high", path, number))
    return findings


def _cleartext_findings(path: str, source: str) -> list[Finding]:
    """`http://` URLs: an error in app code, a warning for local development hosts."""
    findings: list[Finding] = []
    for number, line in enumerate(source.splitlines(), start=1):
        for url in _CLEARTEXT.findall(line):
            host = url.removeprefix("http://").split("/")[0].split(":")[0]
            if host in _LOCAL_HOSTS:
                findings.append(Finding("transport.cleartext", f"cleartext {url} (local development host only)",
                                        "warning", path, number))
            elif host:
                findings.append(Finding("transport.cleartext", f"cleartext HTTP to {url}: use https://",
                                        "error", path, number))
    return findings


def _storage_findings(path: str, source: str) -> list[Finding]:
    """Tokens or passwords written to SharedPreferences, which is plain text on the device."""
    return [
        Finding("storage.token_in_prefs", f"{match.group(1)} kept in SharedPreferences (plain text): "
                "use flutter_secure_storage", "error", path, source.count("\n", 0, match.start()) + 1)
        for match in _PREFS_WRITE.finditer(source)
    ]


def _logging_findings(path: str, root_calls: list[dart.Invocation]) -> list[Finding]:
    """print/debugPrint/log calls whose arguments mention credentials."""
    findings: list[Finding] = []
    for call in root_calls:
        if call.name not in _LOG_CALLS or (call.name not in ("print", "debugPrint", "log") and len(call.chain) < 2):
            continue
        if _CREDENTIAL_WORD.search(dart.text(call.arguments)):
            findings.append(Finding("logging.credentials", f"{'.'.join(call.chain)}(...) logs a credential",
                                    "error", path, call.line))
    return findings


def _form_findings(path: str, root_calls: list[dart.Invocation]) -> list[Finding]:
    """Text fields inside a Form that validate nothing."""
    if not any(call.name == "Form" for call in root_calls):
        return []
    return [
        Finding("form.missing_validator", "TextFormField without a validator in a Form", "warning", path, call.line)
        for call in root_calls
        if call.name == "TextFormField" and "validator" not in call.named
    ]


def _permission_findings(files: dict[str, str], notes: str) -> list[Finding]:
    """Permissions the code uses that the platform notes (README, docs, manifests) do not declare."""
    findings: list[Finding] = []
    lowered_notes = notes.lower()
    for permission in PERMISSIONS:
        users = [
            path for path, source in sorted(files.items())
            if path.endswith(".dart") and (
                any(f"package:{package}/" in source for package in permission.packages)
                or any(marker in source for marker in permission.code_markers)
            )
        ]
        declared = any(word.lower() in lowered_notes for word in permission.note_words)
        if users and not declared:
            findings.append(Finding("permission.undeclared",
                                    f"{permission.name} permission used (in {', '.join(users[:3])}) but not "
                                    "declared in the platform notes", "error", users[0], None))
    return findings


def check_security(files: dict[str, str], notes: str) -> list[Finding]:
    """All security findings for a project (paths relative to source/); `notes` is the platform notes text."""
    findings: list[Finding] = []
    for path, source in sorted(files.items()):
        if path.endswith((".dart", ".yaml", ".json", ".xml", ".plist", ".properties", ".env")):
            findings += _secret_findings(path, source)
        if not path.endswith(".dart"):
            continue
        findings += _cleartext_findings(path, source)
        findings += _storage_findings(path, source)
        calls = list(dart.invocations(dart.parse(source).root_node))
        findings += _logging_findings(path, calls)
        findings += _form_findings(path, calls)
    manifests = "\n".join(text for path, text in files.items() if path.endswith(("AndroidManifest.xml", ".plist")))
    findings += _permission_findings(files, notes + "\n" + manifests)
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.rule))
