// Command subscriber-loop is healthy: a hub goroutine ranges over a subscription channel whose only
// senders are HTTP handlers. No request is in flight when the dump is taken, so the hub is idle,
// but the server's accept loop is live and any new request can publish to it.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type Event struct {
	Topic string
	Body  string
}

type Subscription struct {
	C chan Event
}

type Hub struct {
	sub  *Subscription
	seen map[string]int
}

// run delivers events to the subscriber until the subscription is closed.
func (h *Hub) run() {
	for ev := range h.sub.C { // want: chan-receive main.Subscription.C
		h.seen[ev.Topic]++
	}
}

type API struct {
	sub *Subscription
}

// publish is the HTTP handler of POST /publish?topic=…: it hands the event to the hub.
func (a *API) publish(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	a.sub.C <- Event{Topic: r.URL.Query().Get("topic"), Body: string(body)}
	fmt.Fprintln(w, "ok")
}

func main() {
	sub := &Subscription{C: make(chan Event)}
	hub := &Hub{sub: sub, seen: map[string]int{}}
	go hub.run()

	api := &API{sub: sub}
	mux := http.NewServeMux()
	mux.HandleFunc("/publish", api.publish)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	server := &http.Server{Handler: mux}
	server.SetKeepAlivesEnabled(false)
	go server.Serve(listener)

	// One request goes through, then none is in flight.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Post("http://"+listener.Addr().String()+"/publish?topic=boot", "text/plain", nil)
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	waitParked(3)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
}
