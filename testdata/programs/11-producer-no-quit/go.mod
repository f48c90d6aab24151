module example.com/producer-no-quit

go 1.19
