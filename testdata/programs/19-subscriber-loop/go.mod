module example.com/subscriber-loop

go 1.19
