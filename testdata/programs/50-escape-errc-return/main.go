// Command escape-errc-return blocks sending on a channel nobody else can have yet:
// startServer makes errC, and on a bad address sends the error on it before `return errC`.
// The channel is unbuffered and has not left the function: the send can never complete.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

func validate(addr string) error {
	if !strings.Contains(addr, ":") {
		return errors.New("address " + addr + ": missing port")
	}
	return nil
}

func serve(addr string) error {
	time.Sleep(time.Hour)
	return nil
}

// startServer starts serving addr; the returned channel reports why serving stopped.
func startServer(addr string) <-chan error {
	errC := make(chan error)
	if err := validate(addr); err != nil {
		errC <- err // want: chan-send main.startServer#errC
		return errC
	}
	go func() { errC <- serve(addr) }()
	return errC
}

func launch(addr string) {
	errC := startServer(addr)
	if err := <-errC; err != nil {
		println(err.Error())
	}
}

func main() {
	go launch("localhost")

	waitParked(2)
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
