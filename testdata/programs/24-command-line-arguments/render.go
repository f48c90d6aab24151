package main

import "strings"

// render turns a page name into its HTML.
func render(page string) string {
	return "<h1>" + strings.ToUpper(page) + "</h1>"
}
