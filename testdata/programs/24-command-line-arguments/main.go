// Command command-line-arguments runs inside a test binary built from a file list
// (`go test -c main.go render.go main_test.go`, whose TestMain calls main), so its functions print
// as command-line-arguments.F (a program built with `go build main.go` still prints main.F). It
// deadlocks like a WaitGroup-before-drain: collect waits for its workers before reading the pages
// they send on an unbuffered channel.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// collect renders the pages concurrently and gathers them.
func collect(pages []string) []string {
	out := make(chan string)
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Add(1)
		go func(p string) {
			defer wg.Done()
			out <- render(p) // want: chan-send main.collect#out
		}(p)
	}
	wg.Wait() // want: waitgroup-wait main.collect#wg
	close(out)
	var rendered []string
	for page := range out {
		rendered = append(rendered, page)
	}
	return rendered
}

func build(pages []string, site chan<- []string) {
	site <- collect(pages)
}

func main() {
	site := make(chan []string, 1)
	go build([]string{"index", "about", "blog"}, site)

	waitParked(5)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
