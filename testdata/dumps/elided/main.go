// A panic at the bottom of a deep recursion: the runtime prints the top and bottom frames and
// elides the middle.
package main

func descend(n int) int {
	if n == 0 {
		var p *int
		return *p
	}
	return descend(n-1) + 1
}

func main() {
	descend(200)
}
