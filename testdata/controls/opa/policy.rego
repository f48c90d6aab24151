package ctl

import rego.v1

default allow := false

allow if {
	some role in data.roles[input.user]
	some grant in data.grants[role]
	grant.action == input.action
	glob.match(grant.resource, ["/"], input.resource)
}

visible contains name if {
	some name, _ in data.users
	startswith(name, "w")
}
