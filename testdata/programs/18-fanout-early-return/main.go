// Command fanout-early-return leaks the workers of a fan-out: fetchAll starts one goroutine per
// item, each sending its result on an unbuffered channel, and returns at the first error, leaving
// the other workers blocked sending forever. At the same time a second, healthy call of fetchAll is
// still collecting: its collector waits to receive while its workers are busy (sleeping).
//
// It writes the dump named by GRIDLOCK_DUMP: debug2 (default), debug1, proto (the debug=0
// protobuf), or sigquit (it sends itself SIGQUIT; the runtime prints a GOTRACEBACK=all traceback).
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"
)

type result struct {
	value int
	err   error
}

// work fetches item i of a batch: item 0 of the broken batch fails at once, the others take the
// batch's latency.
func work(batch string, i int) result {
	if batch == "broken" && i == 0 {
		return result{err: errors.New("item 0: connection refused")}
	}
	if batch == "broken" {
		time.Sleep(20 * time.Millisecond)
	} else {
		time.Sleep(time.Hour)
	}
	return result{value: i * i}
}

// fetchAll fetches n items of a batch concurrently and sums them; it stops at the first error.
func fetchAll(batch string, n int) (int, error) {
	results := make(chan result) // unbuffered: a worker whose result is not read blocks forever
	for i := 0; i < n; i++ {
		go func(i int) {
			results <- work(batch, i) // want: chan-send main.fetchAll#results
		}(i)
	}
	sum := 0
	for i := 0; i < n; i++ {
		r := <-results // want: chan-receive main.fetchAll#results
		if r.err != nil {
			return 0, fmt.Errorf("fetch %s: %w", batch, r.err)
		}
		sum += r.value
	}
	return sum, nil
}

// loadSlow runs a healthy fetch whose items take an hour each.
func loadSlow() {
	_, _ = fetchAll("slow", 4)
}

// loadBroken runs a fetch whose first result is an error, and reports it.
func loadBroken(failed chan<- error) {
	_, err := fetchAll("broken", 12)
	failed <- err
}

func main() {
	go loadSlow()
	failed := make(chan error, 1)
	go loadBroken(failed)
	<-failed // loadBroken has returned; 11 of its workers are still trying to send

	waitParked(17)
	writeDump()
}

// writeDump writes the goroutine dump in the format GRIDLOCK_DUMP names.
func writeDump() {
	switch os.Getenv("GRIDLOCK_DUMP") {
	case "debug1":
		pprof.Lookup("goroutine").WriteTo(os.Stdout, 1)
	case "proto":
		pprof.Lookup("goroutine").WriteTo(os.Stdout, 0)
	case "sigquit":
		syscall.Kill(syscall.Getpid(), syscall.SIGQUIT)
		time.Sleep(5 * time.Second) // the runtime exits with status 2 once it has printed the traceback
	default:
		pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
	}
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
}
