"""Patch semantics as pure functions on JSON-shaped values: JSON patch (RFC 6902), JSON
merge patch (RFC 7386), and later strategic merge patch and server-side apply."""
