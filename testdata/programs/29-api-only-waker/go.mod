module example.com/api-only-waker

go 1.19
