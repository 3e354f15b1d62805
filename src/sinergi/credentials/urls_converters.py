class CertificateNumberConverter:
    """Certificate numbers contain slashes (DTS/2026/PLG/000123), so /verify/<number> needs its own
    converter; the shape also bounds what the search box accepts."""

    regex = r"[A-Za-z0-9][A-Za-z0-9/._-]{0,99}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
