# mib-xml-table.awk: turns `smidump -f xml` of CHOPIN-MIB into mib-dump's line format:
#   object NAME OID.0 SYNTAX MIN MAX
#   notification NAME OID OBJECT...
# Types it cannot resolve print as "?", so the comparison fails loudly.

function attr(key,    pattern) {
	pattern = " " key "=\"[^\"]*\""
	if (!match($0, pattern))
		return ""
	return substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 4)
}

# Imported types and SMI base types an object may use unrefined.
BEGIN {
	known["DateAndTime"] = "date-and-time 8 11"
	known["TruthValue"] = "integer32 1 2"
	known["SnmpAdminString"] = "octets 0 255"
	known["Unsigned32"] = "unsigned32 0 4294967295"
	known["Gauge32"] = "unsigned32 0 4294967295"
	known["Integer32"] = "integer32 -2147483648 2147483647"
	syntax_of["OctetString"] = "octets"
	syntax_of["Unsigned32"] = "unsigned32"
	syntax_of["Gauge32"] = "unsigned32"
	syntax_of["Integer32"] = "integer32"
	syntax_of["Enumeration"] = "integer32"
}

function reset() {
	base = ""; parent = ""; type = ""; lo = ""; hi = ""
}

function widen(a, b) {
	if (lo == "" || a + 0 < lo + 0)
		lo = a
	if (hi == "" || b + 0 > hi + 0)
		hi = b
}

# The module's own textual conventions, e.g. ChopinUtf8String.
/<typedef name=/ { in_typedef = 1; reset(); tc = attr("name"); base = attr("basetype"); next }
in_typedef && /<range / { widen(attr("min"), attr("max")) }
in_typedef && /<\/typedef>/ {
	in_typedef = 0
	if ((base in syntax_of) && lo != "")
		known[tc] = syntax_of[base] " " lo " " hi
	next
}

/<scalar name=/ { in_scalar = 1; reset(); name = attr("name"); oid = attr("oid"); access = "" }
in_scalar && /<typedef basetype=/ { base = attr("basetype") }
in_scalar && /<parent / { parent = attr("name") }
in_scalar && /<type / { type = attr("name") }
in_scalar && /<range / { widen(attr("min"), attr("max")) }
in_scalar && /<namednumber / { widen(attr("number"), attr("number")) }
in_scalar && /<access>/ { access = $0; gsub(/ *<\/?access> */, "", access) }
in_scalar && /<\/scalar>/ {
	in_scalar = 0
	if (type != "") {
		syntax = (type in known) ? known[type] : "? ? ?"
	} else if (parent == "DateAndTime" && lo != "") {
		syntax = "date-and-time " lo " " hi
	} else if ((base in syntax_of) && lo != "") {
		syntax = syntax_of[base] " " lo " " hi
	} else if (parent in known) {
		syntax = known[parent]
	} else {
		syntax = "? ? ?"
	}
	print "object", name, oid ".0", syntax
	if (access != "notifyonly")
		print "access", name, access
}

/<notification name=/ { in_notification = 1; name = attr("name"); oid = attr("oid"); objects = "" }
in_notification && /<object / { objects = objects " " attr("name") }
in_notification && /<\/notification>/ {
	in_notification = 0
	print "notification", name, oid objects
}
