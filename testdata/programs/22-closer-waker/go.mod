module example.com/closer-waker

go 1.19
