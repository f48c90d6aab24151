// Command waitgroup-results waits for its workers before reading their results: each worker
// sends its result on an unbuffered channel that is only read after wg.Wait returns.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// squareAll computes the squares concurrently.
func squareAll(inputs []int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, n := range inputs {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			results <- n * n // want: chan-send main.squareAll#results
		}(n)
	}
	wg.Wait() // want: waitgroup-wait main.squareAll#wg
	close(results)
	var squares []int
	for sq := range results {
		squares = append(squares, sq)
	}
	return squares
}

func report(inputs []int, out chan<- []int) {
	out <- squareAll(inputs)
}

func main() {
	out := make(chan []int, 1)
	go report([]int{1, 2, 3, 4}, out)

	waitParked(6)
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
