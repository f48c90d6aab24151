// Channel operations: every operation line carries the site gridlock must find on it.
package main

import (
	"os"
	"os/signal"
	"time"

	"example.com/ops/worker"
)

var events = make(chan string)

type server struct {
	newPeers  chan int
	donePeers chan int
	quit      chan struct{}
	pool      *worker.Pool
}

func (s *server) AddPeer(p int) {
	s.newPeers <- p // want: chan-send main.server.newPeers
}

func (s *server) peerHandler() {
	ch := s.newPeers
	for {
		select { // want: select
		case p := <-ch: // want: chan-receive main.server.newPeers
			s.donePeers <- p // want: chan-send main.server.donePeers
		case <-s.pool.Done(): // want: chan-receive example.com/ops/worker.Pool.done
			return
		case <-time.After(time.Second): // want: chan-receive time.After
		case <-s.quit: // want: chan-receive main.server.quit
			return
		}
	}
}

func (s *server) poll() {
	select { // want: select
	case events <- "poll": // want: chan-send main.events
	default:
	}
	close(s.quit) // want: chan-close main.server.quit
}

func locals() {
	results := make(chan int)
	go func() {
		results <- 1 // want: chan-send main.locals#results
	}()
	<-results // want: chan-receive main.locals#results
	for v := range results { // want: chan-range main.locals#results
		_ = v
	}
	var never chan int
	never <- 1 // want: chan-send main.locals#never
	ticker := time.NewTicker(time.Second)
	<-ticker.C // want: chan-receive main.locals#ticker.C
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	<-sigs // want: chan-receive main.locals#sigs
}

func nilSend() {
	var ch chan int = nil
	_ = ch
	select { // want: select
	case <-(chan int)(nil): // want: chan-receive nil
	}
}

func literalParams(s *server) {
	done := make(chan bool)
	go func(ch chan int, d chan bool) {
		ch <- 1   // want: chan-send main.server.newPeers
		d <- true // want: chan-send main.literalParams#done
	}(s.newPeers, done)
	<-done // want: chan-receive main.literalParams#done
	func(never chan int) {
		<-never // want: chan-receive nil
	}(nil)
}
