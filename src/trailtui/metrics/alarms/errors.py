"""The error a PutMetricAlarm request that CloudWatch would refuse raises locally."""


class AlarmDefinitionError(ValueError):
    """A PutMetricAlarm request is invalid; the message starts with the parameter at fault.

    Example: `Period: must be 10, 20, 30 or a multiple of 60`.
    """

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter}: {problem}")
        self.parameter = parameter
        self.problem = problem
