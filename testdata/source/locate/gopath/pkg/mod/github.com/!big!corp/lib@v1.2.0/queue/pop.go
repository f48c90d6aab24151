package queue

func Pop() int { return <-items }
