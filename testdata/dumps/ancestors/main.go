// Run with GODEBUG=tracebackancestors=5: each goroutine's stack is followed by the stacks of the
// goroutines that created it, as they were at the `go` statement.
package main

func leaf(ch chan int) {
	<-ch
}

func middle() {
	go leaf(make(chan int))
	select {}
}

func main() {
	go middle()
	go func() { middle() }()
	ch := make(chan int)
	go func() { ch <- 1 }()
	<-ch
	var m map[string]int
	m["x"] = 1 // nil map write: a panic with the ancestry printed
}
