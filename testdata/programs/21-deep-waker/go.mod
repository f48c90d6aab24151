module example.com/deep-waker

go 1.19
