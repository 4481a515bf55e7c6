"""Patch semantics as pure functions on JSON-shaped values: JSON patch (RFC 6902), JSON
merge patch (RFC 7386), strategic merge patch (driven by the schema's patch metadata),
and later server-side apply."""
